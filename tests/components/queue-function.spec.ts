import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { IDEMPOTENCY_TABLE_ACTIONS } from "../../components/idempotency-table";
import { LAMBDA_RUNTIME, QueueFunction, QueueFunctionArgs, VISIBILITY_TIMEOUT_FACTOR } from "../../components/queue-function";
import { ProgramRun, RecordedResource } from "../../tools/mock-runtime";
import { assertRunError, asList, ofType, one, runFixture, statementsOf, TYPES } from "../support/recorded";
import { ALARM_TOPIC_ARN, QUEUE_ARN, TABLE_ARN } from "./programs/fixture";

const VALID: QueueFunctionArgs = {
    queueArn: QUEUE_ARN,
    code: new pulumi.asset.AssetArchive({}),
    handler: "index.handler",
    timeoutSeconds: 30,
    memoryMb: 256,
    batchSize: 10,
    batchingWindowSeconds: 0,
    maxConcurrency: 5,
    logRetentionDays: 14,
    environment: {},
    alarmTopicArn: ALARM_TOPIC_ARN,
};

const SQS_CONSUMER_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"];

describe("components/queue-function: QueueFunction", () => {
    let run: ProgramRun;
    let tuned: ProgramRun;
    let fn: RecordedResource;
    let logGroup: RecordedResource;

    before(async () => {
        run = await runFixture("queue-function");
        tuned = await runFixture("queue-function", {
            timeoutSeconds: 120,
            memoryMb: 1024,
            batchSize: 100,
            batchingWindowSeconds: 5,
            maxConcurrency: 50,
            logRetentionDays: 90,
            idempotencyTableArn: TABLE_ARN,
        });
        fn = one(run, TYPES.function, "orders");
        logGroup = one(run, TYPES.logGroup, "orders-logs");
    });

    it("runs on nodejs22.x (older Node runtimes are deprecated) with its timeout, memory and environment", () => {
        assert.equal(LAMBDA_RUNTIME, "nodejs22.x");
        assert.equal(fn.inputs.runtime, "nodejs22.x");
        assert.equal(fn.inputs.handler, "index.handler");
        assert.deepEqual([fn.inputs.timeout, fn.inputs.memorySize], [30, 256]);
        assert.deepEqual([one(tuned, TYPES.function).inputs.timeout, one(tuned, TYPES.function).inputs.memorySize], [120, 1024]);
        assert.deepEqual(fn.inputs.environment, { variables: { CONSUMER_NAME: "orders" } });
    });

    it("logs to its own log group, which has the retention it is given", () => {
        assert.equal(logGroup.inputs.retentionInDays, 14);
        assert.equal(one(tuned, TYPES.logGroup).inputs.retentionInDays, 90);
        assert.deepEqual(fn.inputs.loggingConfig, { logFormat: "JSON", logGroup: logGroup.inputs.name });
    });

    it("assumes a role only Lambda can assume", () => {
        const role = one(run, TYPES.role, "orders-role");
        assert.equal(fn.inputs.role, role.outputs.arn);
        assert.deepEqual(statementsOf(role.inputs.assumeRolePolicy), [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
    });

    it("allows the role exactly the SQS actions a consumer needs on its own queue, and writing its own logs", () => {
        const rolePolicy = one(run, TYPES.rolePolicy, "orders-policy");
        assert.equal(rolePolicy.inputs.role, one(run, TYPES.role).inputs.name);
        const statements = statementsOf(rolePolicy.inputs.policy);
        assert.deepEqual(
            statements.map((s) => [s.Effect, asList(s.Action).sort(), s.Resource]),
            [
                ["Allow", [...SQS_CONSUMER_ACTIONS].sort(), QUEUE_ARN],
                ["Allow", ["logs:CreateLogStream", "logs:PutLogEvents"], `${String(logGroup.outputs.arn)}:*`],
            ],
        );
    });

    it("adds the idempotency table's actions on that table only when it is given one", () => {
        const statements = statementsOf(one(tuned, TYPES.rolePolicy).inputs.policy);
        assert.equal(statements.length, 3);
        const table = statements.find((s) => s.Resource === TABLE_ARN);
        assert.ok(table);
        assert.deepEqual(asList(table.Action), IDEMPOTENCY_TABLE_ACTIONS);
        assert.ok(asList(table.Action).every((a) => !a.includes("*")));
    });

    it("creates the function only after its role policy, so its first poll is allowed", () => {
        const rolePolicy = one(run, TYPES.rolePolicy);
        assert.ok(fn.dependencies.includes(rolePolicy.urn), `dependencies: ${fn.dependencies.join(", ")}`);
    });

    it("maps its queue to the function with partial batch failures, batch size, window and maximum concurrency", () => {
        const mapping = one(run, TYPES.mapping, "orders-mapping").inputs;
        assert.equal(mapping.eventSourceArn, QUEUE_ARN);
        assert.equal(mapping.functionName, fn.outputs.arn);
        assert.deepEqual(mapping.functionResponseTypes, ["ReportBatchItemFailures"]);
        assert.deepEqual([mapping.batchSize, mapping.maximumBatchingWindowInSeconds, mapping.scalingConfig], [10, 0, { maximumConcurrency: 5 }]);
        const other = one(tuned, TYPES.mapping).inputs;
        assert.deepEqual([other.batchSize, other.maximumBatchingWindowInSeconds, other.scalingConfig], [100, 5, { maximumConcurrency: 50 }]);
    });

    it("alarms on Errors and Throttles of this function, to the alarm topic", () => {
        const alarms = ofType(run, TYPES.alarm);
        assert.deepEqual(alarms.map((a) => a.name).sort(), ["orders-errors", "orders-throttles"]);
        for (const [name, metric] of [["orders-errors", "Errors"], ["orders-throttles", "Throttles"]] as const) {
            const alarm = one(run, TYPES.alarm, name).inputs;
            assert.deepEqual([alarm.namespace, alarm.metricName, alarm.dimensions], ["AWS/Lambda", metric, { FunctionName: fn.inputs.name }]);
            assert.deepEqual([alarm.comparisonOperator, alarm.threshold], ["GreaterThanThreshold", 0]);
            assert.deepEqual(alarm.alarmActions, [ALARM_TOPIC_ARN]);
        }
    });

    it("exports the function's generated name and ARN and its log group's name", () => {
        assert.equal(run.outputs.functionName, fn.inputs.name);
        assert.equal(run.outputs.functionArn, fn.outputs.arn);
        assert.equal(run.outputs.logGroupName, logGroup.inputs.name);
    });

    describe("visibilityTimeoutFor", () => {
        it("is at least 6 × the function timeout, across Lambda's whole timeout range", () => {
            for (const timeout of [1, 30, 60, 300, 900]) {
                assert.ok(QueueFunction.visibilityTimeoutFor(timeout) >= 6 * timeout, `timeout ${timeout}`);
            }
            assert.equal(VISIBILITY_TIMEOUT_FACTOR * 30, QueueFunction.visibilityTimeoutFor(30));
        });

        it("stays within SQS's 12-hour visibility limit for the longest Lambda timeout", () => {
            assert.ok(QueueFunction.visibilityTimeoutFor(900) <= 43_200);
        });
    });

    describe("validate", () => {
        it("accepts valid arguments, including a large batch with a window", () => {
            assert.doesNotThrow(() => QueueFunction.validate("orders", VALID));
            assert.doesNotThrow(() => QueueFunction.validate("orders", { ...VALID, batchSize: 10000, batchingWindowSeconds: 1 }));
        });

        const rejections: [string, Partial<QueueFunctionArgs>, RegExp][] = [
            ["timeout 0", { timeoutSeconds: 0 }, /timeoutSeconds 0 must be a whole number from 1 to 900$/],
            ["timeout above 900", { timeoutSeconds: 901 }, /timeoutSeconds 901 must be a whole number from 1 to 900$/],
            ["a timeout that is not a number", { timeoutSeconds: Number.NaN }, /timeoutSeconds NaN must be a whole number from 1 to 900$/],
            ["memory below 128", { memoryMb: 127 }, /memoryMb 127 must be a whole number from 128 to 10240$/],
            ["memory above 10240", { memoryMb: 10241 }, /memoryMb 10241 must be a whole number from 128 to 10240$/],
            ["a fractional memory", { memoryMb: 256.5 }, /memoryMb 256.5 must be a whole number from 128 to 10240$/],
            ["batch size 0", { batchSize: 0 }, /batchSize 0 must be a whole number from 1 to 10000$/],
            ["batch size above 10000", { batchSize: 10001, batchingWindowSeconds: 1 }, /batchSize 10001 must be a whole number from 1 to 10000$/],
            ["a batching window above 300", { batchingWindowSeconds: 301 }, /batchingWindowSeconds 301 must be a whole number from 0 to 300$/],
            ["max concurrency 1", { maxConcurrency: 1 }, /maxConcurrency 1 must be a whole number from 2 to 1000$/],
            ["max concurrency above 1000", { maxConcurrency: 1001 }, /maxConcurrency 1001 must be a whole number from 2 to 1000$/],
            ["a log retention CloudWatch Logs does not accept", { logRetentionDays: 15 }, /logRetentionDays 15 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, .*, 3653$/],
            [
                "a batch above 10 without a window",
                { batchSize: 11 },
                /batchingWindowSeconds 0 must be at least 1 when batchSize is above 10 \(batchSize is 11\): SQS rejects larger batches without a batching window$/,
            ],
            // The window's own range is the one problem: a fractional window is not "no window".
            ["a fractional window under a large batch", { batchSize: 11, batchingWindowSeconds: 0.5 }, /: batchingWindowSeconds 0.5 must be a whole number from 0 to 300$/],
        ];
        for (const [title, change, message] of rejections) {
            it(`rejects ${title}, naming the argument and the component`, () => {
                assertRunError(() => QueueFunction.validate("orders", { ...VALID, ...change }), /^QueueFunction orders: /, message);
            });
        }

        it("reports every bad argument at once", () => {
            assertRunError(
                () => QueueFunction.validate("orders", { ...VALID, timeoutSeconds: 0, batchSize: 50, maxConcurrency: 1 }),
                /^QueueFunction orders: timeoutSeconds 0 .*; maxConcurrency 1 .*; batchingWindowSeconds 0 must be at least 1 when batchSize is above 10 \(batchSize is 50\)/,
            );
        });
    });
});
