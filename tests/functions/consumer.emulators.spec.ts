/**
 * The consumer Lambda handler against the emulators instead of aws-sdk-client-mock: a real SQS
 * queue (fauxqs) fed to the handler by the local run's event source mapping, and a real DynamoDB
 * idempotency table (dynalite). One pair of emulators for the file; the queue's visibility
 * timeout is one second, so a retry takes one.
 */
import { ScanCommand, CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import assert from "node:assert/strict";
import { createHandler } from "../../functions/consumer/handler";
import type { CloudEvent } from "../../shared/cloudevent";
import type { EventHandlers } from "../../shared/handlers";
import { type Emulators, startEmulators } from "../../tools/local/emulators";
import { EventSourceMapping, type Invoker } from "../../tools/local/event-source-mapping";
import { observeSqsClient, RunRecorder } from "../../tools/local/recorder";
import type { LambdaConsumerSpec } from "../../tools/local/topology";
import { captureOutput, cloudEvent, lambdaContext, releaseOutput } from "./support";

const TABLE = "idempotency-emulated";
const ENV = { CONSUMER_NAME: "orders", IDEMPOTENCY_TABLE_NAME: TABLE, POWERTOOLS_SERVICE_NAME: "orders", POWERTOOLS_LOG_LEVEL: "INFO" };

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

/** Counts the handler's runs per event id; fails an event while `failures` has runs left for it. */
function countingHandlers(calls: string[], failures: Map<string, number> = new Map()): EventHandlers {
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

describe("consumer Lambda handler against the emulators (fauxqs, dynalite)", () => {
    let emulators: Emulators;
    let sqs: SQSClient;
    let queues = 0;

    before(async () => {
        emulators = await startEmulators("eu-west-1");
        sqs = emulators.sqs();
        await emulators.dynamoDb().send(
            new CreateTableCommand({
                TableName: TABLE,
                BillingMode: "PAY_PER_REQUEST",
                KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
                AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
            }),
        );
    });
    after(() => emulators.stop());
    afterEach(() => releaseOutput());

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
                    return { response: await handler(event, lambdaContext() as Context) };
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
        const { Items = [] } = await emulators.dynamoDb().send(new ScanCommand({ TableName: TABLE }));
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
        const recorder = await consume(url, arn, countingHandlers(calls, new Map([[flaky.id, 1]])), [JSON.stringify(flaky), JSON.stringify(fine)]);

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
