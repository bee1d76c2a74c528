import { strict as assert } from "node:assert";
import { DEFAULT_STOP_TIMEOUT_SECONDS, readConsumerSettings, readWorkerSettings, SettingsError } from "../../../consumers/shared/settings";

const LAMBDA_ENV = {
    CONSUMER_NAME: "orders",
    IDEMPOTENCY_TABLE_NAME: "idempotency-1a2b3c",
    POWERTOOLS_SERVICE_NAME: "orders",
    POWERTOOLS_METRICS_NAMESPACE: "event-pipeline/dev",
    POWERTOOLS_LOG_LEVEL: "INFO",
};
const WORKER_ENV = {
    ...LAMBDA_ENV,
    QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/orders",
    AWS_REGION: "eu-west-1",
    VISIBILITY_TIMEOUT_SECONDS: "120",
};

function problemsOf(fn: () => unknown): readonly string[] {
    try {
        fn();
    } catch (error) {
        if (error instanceof SettingsError) {
            return error.problems;
        }
        throw error;
    }
    assert.fail("expected a SettingsError");
}

describe("consumer settings (the environment contract with the program)", () => {
    it("reads the variables the program sets on the function", () => {
        assert.deepEqual(readConsumerSettings(LAMBDA_ENV), {
            consumerName: "orders",
            serviceName: "orders",
            metricsNamespace: "event-pipeline/dev",
            logLevel: "INFO",
            idempotencyTableName: "idempotency-1a2b3c",
        });
    });

    it("reads the worker's extra variables, with a stop timeout that fits ECS's default 30 s", () => {
        const settings = readWorkerSettings(WORKER_ENV);
        assert.equal(settings.queueUrl, WORKER_ENV.QUEUE_URL);
        assert.equal(settings.visibilityTimeoutSeconds, 120);
        assert.equal(settings.stopTimeoutSeconds, DEFAULT_STOP_TIMEOUT_SECONDS);
        assert.ok(DEFAULT_STOP_TIMEOUT_SECONDS < 30);
        assert.equal(readWorkerSettings({ ...WORKER_ENV, STOP_TIMEOUT_SECONDS: "55" }).stopTimeoutSeconds, 55);
    });

    it("names every problem at once", () => {
        assert.deepEqual(
            problemsOf(() => readWorkerSettings({ VISIBILITY_TIMEOUT_SECONDS: "0", STOP_TIMEOUT_SECONDS: "soon" })),
            [
                "CONSUMER_NAME is required unless POWERTOOLS_IDEMPOTENCY_DISABLED=true",
                "IDEMPOTENCY_TABLE_NAME is required unless POWERTOOLS_IDEMPOTENCY_DISABLED=true",
                "QUEUE_URL is required",
                "AWS_REGION is required",
                'VISIBILITY_TIMEOUT_SECONDS must be an integer from 1 to 43200 (got "0")',
                'STOP_TIMEOUT_SECONDS must be an integer from 1 to 120 (got "soon")',
            ],
        );
    });

    it("treats blank values as missing", () => {
        assert.deepEqual(problemsOf(() => readConsumerSettings({ ...LAMBDA_ENV, CONSUMER_NAME: "  " })), [
            "CONSUMER_NAME is required unless POWERTOOLS_IDEMPOTENCY_DISABLED=true",
        ]);
    });

    it("with idempotency disabled, needs no table and names the consumer after the service", () => {
        for (const disabled of ["true", "TRUE", "1", "yes", "on"]) {
            const settings = readConsumerSettings({ POWERTOOLS_IDEMPOTENCY_DISABLED: disabled, POWERTOOLS_SERVICE_NAME: "local" });
            assert.equal(settings.idempotencyTableName, undefined, disabled);
            assert.equal(settings.consumerName, "local");
        }
        assert.equal(readConsumerSettings({ POWERTOOLS_IDEMPOTENCY_DISABLED: "true" }).consumerName, "local-consumer");
        // "false" (or anything else) keeps idempotency on, and with it the requirements.
        assert.equal(problemsOf(() => readConsumerSettings({ POWERTOOLS_IDEMPOTENCY_DISABLED: "false" })).length, 2);
    });
});
