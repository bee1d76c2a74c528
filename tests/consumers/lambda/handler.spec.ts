import { CreateTableCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { createHandler, type HandlerOptions } from "../../../consumers/lambda/handler";
import type { CloudEvent } from "../../../consumers/shared/cloudevent";
import type { EventHandlers } from "../../../consumers/shared/handlers";
import { SettingsError } from "../../../consumers/shared/settings";
import { type Emulators, startEmulators } from "../../../tools/local/emulators";
import { EventSourceMapping, type Invoker } from "../../../tools/local/event-source-mapping";
import { observeSqsClient, RunRecorder } from "../../../tools/local/recorder";
import type { LambdaConsumerSpec } from "../../../tools/local/topology";
import {
    captureOutput,
    cloudEvent,
    emfBlobs,
    FakeIdempotencyTable,
    jsonLines,
    lambdaContext,
    metricSum,
    releaseOutput,
    snsEnvelope,
    sqsEvent,
} from "../support";

const ENV = {
    CONSUMER_NAME: "orders",
    IDEMPOTENCY_TABLE_NAME: "idempotency-1a2b3c",
    POWERTOOLS_SERVICE_NAME: "orders",
    POWERTOOLS_METRICS_NAMESPACE: "event-pipeline/test",
    POWERTOOLS_LOG_LEVEL: "INFO",
};

/** Counts how often each event id reached a handler. */
function countingHandlers(calls: string[], fail: Set<string> = new Set()): EventHandlers {
    return {
        "order.created": async (event: CloudEvent) => {
            calls.push(event.id);
            if (fail.has(event.id)) {
                throw new Error(`downstream refused ${event.id}`);
            }
            return { orderId: String((event.data as { orderId: string }).orderId) };
        },
    };
}

describe("consumer Lambda handler", () => {
    let table: FakeIdempotencyTable;

    beforeEach(() => {
        table = new FakeIdempotencyTable();
    });
    afterEach(() => {
        releaseOutput();
        table.restore();
    });

    function handlerWith(options: HandlerOptions = {}) {
        return createHandler({ env: ENV, dynamoDbClient: table.client, ...options });
    }

    it("processes a raw CloudEvent and an SNS-wrapped one", async () => {
        const calls: string[] = [];
        const handler = handlerWith({ handlers: countingHandlers(calls) });
        const raw = cloudEvent();
        const wrapped = cloudEvent();

        const { result } = await captureOutput(() =>
            handler(sqsEvent(JSON.stringify(raw), snsEnvelope(wrapped)), lambdaContext()),
        );

        assert.deepEqual(result, { batchItemFailures: [] });
        assert.deepEqual(calls.sort(), [raw.id, wrapped.id].sort());
    });

    it("reports a malformed record as the only batch item failure", async () => {
        const calls: string[] = [];
        const handler = handlerWith({ handlers: countingHandlers(calls) });
        const event = sqsEvent(
            JSON.stringify(cloudEvent()),
            "{ this is not json",
            snsEnvelope(cloudEvent()),
            JSON.stringify({ specversion: "1.0", source: "/orders/api", type: "order.created" }), // no id
        );

        const { result } = await captureOutput(() => handler(event, lambdaContext()));

        assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "msg-2" }, { itemIdentifier: "msg-4" }] });
        assert.equal(calls.length, 2);
    });

    it("reports every record when every record fails, instead of throwing", async () => {
        const handler = handlerWith();
        const { result } = await captureOutput(() => handler(sqsEvent("[]", "null"), lambdaContext()));
        assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "msg-1" }, { itemIdentifier: "msg-2" }] });
    });

    it("acknowledges (and counts) a valid event of a type it has no handler for", async () => {
        const calls: string[] = [];
        const handler = handlerWith({ handlers: countingHandlers(calls) });
        const unknown = cloudEvent({ type: "invoice.paid", data: { invoiceId: "7" } });

        const { result, stdout } = await captureOutput(() => handler(sqsEvent(JSON.stringify(unknown)), lambdaContext()));

        assert.deepEqual(result, { batchItemFailures: [] });
        assert.deepEqual(calls, []);
        assert.equal(metricSum(stdout, "EventsUnhandled"), 1);
        assert.ok(jsonLines(stdout).some((line) => line.correlation_id === unknown.id && /No handler/.test(String(line.message))));
    });

    it("fails only the record whose handler throws, and releases its idempotency claim for the retry", async () => {
        const calls: string[] = [];
        const good = cloudEvent();
        const bad = cloudEvent();
        const handler = handlerWith({ handlers: countingHandlers(calls, new Set([bad.id])) });

        const { result } = await captureOutput(() =>
            handler(sqsEvent(JSON.stringify(good), JSON.stringify(bad)), lambdaContext()),
        );

        assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "msg-2" }] });
        // Only the success is remembered: the failed event must run again when SQS redelivers it.
        assert.deepEqual([...table.items.values()].map((item) => item.status?.S), ["COMPLETED"]);
    });

    describe("idempotency", () => {
        it("processes a duplicate delivery once and acknowledges the duplicate", async () => {
            const calls: string[] = [];
            const handler = handlerWith({ handlers: countingHandlers(calls) });
            const event = cloudEvent();

            const first = await captureOutput(() => handler(sqsEvent(JSON.stringify(event)), lambdaContext()));
            // SNS may deliver twice, once with raw delivery on and once via the envelope after a change.
            const second = await captureOutput(() => handler(sqsEvent(snsEnvelope(event)), lambdaContext()));

            assert.deepEqual(first.result, { batchItemFailures: [] });
            assert.deepEqual(second.result, { batchItemFailures: [] });
            assert.deepEqual(calls, [event.id]);
            assert.equal(metricSum(second.stdout, "EventsDuplicate"), 1);
            assert.equal(metricSum(second.stdout, "EventsProcessed"), 0);
        });

        it("keys the record by consumer name and event id", async () => {
            const handler = handlerWith({ handlers: countingHandlers([]) });
            const event = cloudEvent({ id: "evt-fixed" });

            await captureOutput(() => handler(sqsEvent(JSON.stringify(event)), lambdaContext()));

            const expectedKey = `orders#${createHash("md5").update(JSON.stringify(["orders", "evt-fixed"])).digest("base64")}`;
            assert.deepEqual([...table.items.keys()], [expectedKey]);
            assert.equal(table.statusOf(expectedKey), "COMPLETED");
            assert.ok(Number(table.items.get(expectedKey)?.expiration?.N) > Date.now() / 1_000, "TTL attribute set");
        });

        it("lets another consumer sharing the table process the same event", async () => {
            const ordersCalls: string[] = [];
            const billingCalls: string[] = [];
            const orders = handlerWith({ handlers: countingHandlers(ordersCalls) });
            const billing = handlerWith({
                env: { ...ENV, CONSUMER_NAME: "billing", POWERTOOLS_SERVICE_NAME: "billing" },
                handlers: countingHandlers(billingCalls),
            });
            const event = cloudEvent();

            await captureOutput(() => orders(sqsEvent(JSON.stringify(event)), lambdaContext()));
            await captureOutput(() => billing(sqsEvent(snsEnvelope(event)), lambdaContext()));

            assert.deepEqual(ordersCalls, [event.id]);
            assert.deepEqual(billingCalls, [event.id]);
            assert.equal(table.items.size, 2);
        });

        it("fails, rather than skips, a different event that reuses a processed id", async () => {
            const calls: string[] = [];
            const handler = handlerWith({ handlers: countingHandlers(calls) });
            const original = cloudEvent({ id: "evt-reused" });
            const impostor = cloudEvent({ id: "evt-reused", source: "/another/producer" });

            await captureOutput(() => handler(sqsEvent(JSON.stringify(original)), lambdaContext()));
            const { result } = await captureOutput(() => handler(sqsEvent(JSON.stringify(impostor)), lambdaContext()));

            assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "msg-1" }] });
            assert.deepEqual(calls, ["evt-reused"]);
        });

        it("retries, rather than acknowledges, a duplicate whose first delivery is still in progress", async () => {
            let release: () => void = () => undefined;
            const calls: string[] = [];
            const handler = handlerWith({
                handlers: {
                    "order.created": async (event) => {
                        calls.push(event.id);
                        await new Promise<void>((resolve) => (release = resolve));
                    },
                },
            });
            const event = cloudEvent();

            const { result } = await captureOutput(async () => {
                const first = handler(sqsEvent(JSON.stringify(event)), lambdaContext());
                await new Promise((resolve) => setTimeout(resolve, 20));
                const second = await handler(sqsEvent(snsEnvelope(event)), lambdaContext());
                release();
                await first;
                return second;
            });

            assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: "msg-1" }] });
            assert.deepEqual(calls, [event.id]);
        });
    });

    describe("telemetry", () => {
        it("emits EMF metrics in the stack's namespace and JSON logs correlated by event id", async () => {
            const handler = handlerWith({ handlers: countingHandlers([]) });
            const event = cloudEvent({ time: new Date(Date.now() - 5_000).toISOString() });

            const { stdout, stderr } = await captureOutput(() =>
                handler(sqsEvent(JSON.stringify(event), "not json"), lambdaContext()),
            );

            const [blob, ...others] = emfBlobs(stdout);
            assert.equal(others.length, 0, "one EMF blob per invocation");
            const directive = blob._aws.CloudWatchMetrics[0];
            assert.equal(directive.Namespace, "event-pipeline/test");
            assert.deepEqual(directive.Dimensions, [["service"]]);
            assert.equal(blob.service, "orders");
            assert.deepEqual(
                Object.fromEntries(directive.Metrics.map(({ Name, Unit }) => [Name, Unit])),
                { EventsProcessed: "Count", EventsFailed: "Count", EventAgeMs: "Milliseconds" },
            );
            assert.equal(blob.EventsProcessed, 1);
            assert.equal(blob.EventsFailed, 1);
            assert.ok(Number(blob.EventAgeMs) >= 5_000 && Number(blob.EventAgeMs) < 60_000, `age ${blob.EventAgeMs}`);

            const logs = jsonLines([...stdout, ...stderr]).filter((line) => line._aws === undefined);
            const processed = logs.find((line) => line.message === "Event processed");
            assert.ok(processed, "a log line for the processed event");
            assert.equal(processed.correlation_id, event.id);
            assert.equal(processed.level, "INFO");
            assert.equal(processed.service, "orders");
            assert.equal(processed.function_request_id, lambdaContext().awsRequestId);
            const rejected = logs.find((line) => line.level === "ERROR");
            assert.equal(rejected?.messageId, "msg-2");
            assert.equal((rejected?.error as { name?: string } | undefined)?.name, "InvalidEventError");
        });
    });

    describe("configuration", () => {
        it("refuses to start without the consumer name and table, naming both", () => {
            assert.throws(
                () => createHandler({ env: { POWERTOOLS_SERVICE_NAME: "orders" } }),
                (error: unknown) =>
                    error instanceof SettingsError &&
                    /CONSUMER_NAME/.test(error.message) &&
                    /IDEMPOTENCY_TABLE_NAME/.test(error.message),
            );
        });

        it("needs neither when idempotency is disabled, and then touches no table", async () => {
            const calls: string[] = [];
            const handler = createHandler({
                env: { POWERTOOLS_IDEMPOTENCY_DISABLED: "true", POWERTOOLS_SERVICE_NAME: "local" },
                dynamoDbClient: table.client,
                handlers: countingHandlers(calls),
            });
            const event = cloudEvent();

            const { result } = await captureOutput(() => handler(sqsEvent(JSON.stringify(event)), lambdaContext()));

            assert.deepEqual(result, { batchItemFailures: [] });
            assert.deepEqual(calls, [event.id]);
            assert.equal(table.mock.calls().length, 0);
        });
    });

    /**
     * Against the emulators instead of aws-sdk-client-mock: a real SQS queue (fauxqs) fed to the
     * handler by the local run's event source mapping, and a real DynamoDB idempotency table
     * (dynalite). One pair of emulators for the block; the queue's visibility timeout is one
     * second, so a retry takes one.
     */
    describe("against the emulators (fauxqs, dynalite)", () => {
        /** The function as the local run reads it from the program, for the event source mapping. */
        const CONSUMER: LambdaConsumerSpec = {
            kind: "lambda",
            name: "orders",
            queueArn: "",
            environment: ENV,
            functionName: "orders-1a2b3c",
            functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders-1a2b3c",
            runtime: "nodejs22.x",
            handler: "index.handler",
            codeDir: "dist/functions/consumer",
            timeoutSeconds: 30,
            memoryMb: 256,
            batchSize: 10,
            batchingWindowSeconds: 0,
            reportBatchItemFailures: true,
        };

        /** Counts the handler's runs per event id; fails an event as often as `failures` says, then lets it through. */
        function flakyHandlers(calls: string[], failures: Map<string, number>): EventHandlers {
            return {
                "order.created": async (event: CloudEvent) => {
                    calls.push(event.id);
                    const left = failures.get(event.id) ?? 0;
                    if (left > 0) {
                        failures.set(event.id, left - 1);
                        throw new Error(`downstream refused ${event.id}`);
                    }
                },
            };
        }

        let emulators: Emulators;
        let sqs: SQSClient;
        let queues = 0;

        before(async () => {
            emulators = await startEmulators("eu-west-1");
            sqs = emulators.sqs();
            await emulators.dynamoDb().send(
                new CreateTableCommand({
                    TableName: ENV.IDEMPOTENCY_TABLE_NAME,
                    BillingMode: "PAY_PER_REQUEST",
                    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
                    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
                }),
            );
        });
        after(() => emulators.stop());

        async function queue(): Promise<{ url: string; arn: string }> {
            queues += 1;
            const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `orders-${queues}`, Attributes: { VisibilityTimeout: "1" } }));
            const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
            return { url: QueueUrl as string, arn: Attributes?.QueueArn as string };
        }

        async function counts(url: string): Promise<[number, number]> {
            const { Attributes = {} } = await sqs.send(
                new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
            );
            return [Number(Attributes.ApproximateNumberOfMessages), Number(Attributes.ApproximateNumberOfMessagesNotVisible)];
        }

        /** Runs the handler behind an event source mapping until the queue is empty (or 10 s pass). */
        async function consume(url: string, arn: string, handlers: EventHandlers, bodies: string[]): Promise<RunRecorder> {
            const recorder = new RunRecorder();
            const handler = createHandler({ env: ENV, dynamoDbClient: emulators.dynamoDb(), handlers });
            const invoker: Invoker = {
                invoke: async (event: SQSEvent) => {
                    try {
                        return { response: await handler(event, lambdaContext()) };
                    } catch (error) {
                        return { error: { name: (error as Error).name, message: (error as Error).message } };
                    }
                },
            };
            const mapping = new EventSourceMapping({
                consumer: { ...CONSUMER, queueArn: arn },
                queueUrl: url,
                queueArn: arn,
                region: "eu-west-1",
                sqs: observeSqsClient(emulators.sqs(), "orders", recorder),
                environment: invoker,
                functionTimeoutMs: 5_000,
                batchingWindowMs: 0,
                recorder,
            });
            await captureOutput(async () => {
                for (const body of bodies) {
                    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
                }
                mapping.start();
                const deadline = Date.now() + 10_000;
                while (Date.now() < deadline && (await counts(url)).some((n) => n > 0)) {
                    await new Promise((resolve) => setTimeout(resolve, 50));
                }
                await mapping.stop();
            });
            return recorder;
        }

        it("deletes each message after its event succeeded, and records the event in the idempotency table with its TTL", async () => {
            const { url, arn } = await queue();
            const calls: string[] = [];
            const events = [cloudEvent(), cloudEvent(), cloudEvent()];
            const recorder = await consume(url, arn, countingHandlers(calls), events.map((e) => JSON.stringify(e)));

            assert.deepEqual([...calls].sort(), events.map((e) => e.id).sort());
            assert.deepEqual(await counts(url), [0, 0]);
            assert.equal(recorder.deleted.length, 3);
            const { Items = [] } = await emulators.dynamoDb().send(new ScanCommand({ TableName: ENV.IDEMPOTENCY_TABLE_NAME }));
            const completed = Items.filter((item) => item.status?.S === "COMPLETED");
            assert.ok(completed.length >= 3, `${completed.length} completed records`);
            const now = Date.now() / 1000;
            for (const item of completed) {
                const expiration = Number(item.expiration?.N);
                assert.ok(expiration > now + 23 * 3600 && expiration < now + 25 * 3600, `expiration ${expiration} is not a day ahead in epoch seconds`);
            }
        });

        it("leaves a failed record on the queue, deletes the rest of its batch, and deletes the failed one once a redelivery succeeds", async () => {
            const { url, arn } = await queue();
            const calls: string[] = [];
            const [flaky, fine] = [cloudEvent(), cloudEvent()];
            const recorder = await consume(url, arn, flakyHandlers(calls, new Map([[flaky.id, 1]])), [JSON.stringify(flaky), JSON.stringify(fine)]);

            assert.deepEqual(calls.filter((id) => id === flaky.id).length, 2);
            assert.deepEqual(calls.filter((id) => id === fine.id).length, 1);
            const flakyDeliveries = recorder.deliveries.filter((d) => d.body.includes(flaky.id)).map((d) => d.receiveCount);
            assert.deepEqual(flakyDeliveries, [1, 2], "redelivered after the visibility timeout, SQS counting the receives");
            assert.deepEqual(recorder.invocations.map((i) => i.failures), [1, 0]);
            assert.deepEqual(await counts(url), [0, 0]);
        });

        it("processes an event delivered twice once: the idempotency table refuses the second claim", async () => {
            const { url, arn } = await queue();
            const calls: string[] = [];
            const event = cloudEvent();
            const recorder = await consume(url, arn, countingHandlers(calls), [JSON.stringify(event), JSON.stringify(event)]);

            assert.deepEqual(calls, [event.id]);
            assert.equal(recorder.deleted.length, 2, "both copies acknowledged");
            assert.deepEqual(await counts(url), [0, 0]);
        });
    });
});
