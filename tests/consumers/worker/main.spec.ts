import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import type { CloudEvent } from "../../../consumers/shared/cloudevent";
import type { EventHandlers } from "../../../consumers/shared/handlers";
import { main } from "../../../consumers/worker/main";
import type { WorkerSummary } from "../../../consumers/worker/worker";
import { type Emulators, startEmulators } from "../../../tools/local/emulators";
import { captureOutput, cloudEvent, FakeIdempotencyTable, jsonLines, releaseOutput } from "../support";
import { delay, ENV, message, recordingHandlers, ScriptedQueue } from "./support";

describe("worker entry point", () => {
    afterEach(releaseOutput);

    it("exits 0 after SIGTERM, having finished the batch in flight", async () => {
        const signals = new EventEmitter();
        const stopped = new AbortController();
        const queue = new ScriptedQueue([], stopped.signal);
        const table = new FakeIdempotencyTable();
        const inFlight = message(JSON.stringify(cloudEvent()));
        let summary: WorkerSummary | undefined;
        queue.mock.on(ReceiveMessageCommand).resolvesOnce({ Messages: [inFlight] });
        queue.whenIdle = () => undefined; // only the signal may stop it
        signals.once("SIGTERM", () => stopped.abort()); // the fake long poll ends like the real one
        try {
            const { result: code } = await captureOutput(async () => {
                const running = main({
                    env: ENV,
                    signals,
                    sqs: queue.client,
                    dynamoDbClient: table.client,
                    handlers: recordingHandlers([], async () => {
                        signals.emit("SIGTERM", "SIGTERM");
                        await delay(30);
                    }),
                    heartbeatIntervalMs: 10,
                    onStopped: (s) => (summary = s),
                });
                return running;
            });

            assert.equal(code, 0);
            assert.deepEqual(queue.deleted(), [inFlight.ReceiptHandle]);
            assert.equal(summary?.processed, 1);
            assert.equal(signals.listenerCount("SIGTERM"), 0, "signal handlers removed");
        } finally {
            queue.mock.restore();
            table.restore();
        }
    });

    it("exits 1 with one JSON line naming every missing setting", async () => {
        const { result: code, stderr } = await captureOutput(() => main({ env: {}, signals: new EventEmitter() }));

        assert.equal(code, 1);
        const [line] = jsonLines(stderr);
        for (const name of ["QUEUE_URL", "AWS_REGION", "VISIBILITY_TIMEOUT_SECONDS", "CONSUMER_NAME", "IDEMPOTENCY_TABLE_NAME"]) {
            assert.match(String(line.message), new RegExp(name));
        }
    });

    /**
     * Against the emulators instead of aws-sdk-client-mock: a real SQS queue (fauxqs) whose
     * visibility timeout is one second, and a real DynamoDB idempotency table (dynalite). One pair
     * of emulators for the block; signals come from an emitter the test controls, as ECS's SIGTERM
     * would.
     */
    describe("against the emulators (fauxqs, dynalite)", () => {
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

        async function queueWith(event: CloudEvent): Promise<string> {
            queues += 1;
            const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `worker-${queues}`, Attributes: { VisibilityTimeout: "1" } }));
            await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(event) }));
            return QueueUrl as string;
        }

        async function counts(url: string): Promise<[number, number]> {
            const { Attributes = {} } = await sqs.send(
                new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
            );
            return [Number(Attributes.ApproximateNumberOfMessages), Number(Attributes.ApproximateNumberOfMessagesNotVisible)];
        }

        /** A worker on `url`; its handler for order.created takes `handlerMs` and calls `onStart` first. */
        function worker(url: string, options: { handlerMs: number; calls: string[]; onStart?: () => void; heartbeatIntervalMs?: number; stopTimeoutSeconds?: number }) {
            const signals = new EventEmitter();
            let summary: WorkerSummary | undefined;
            const handlers: EventHandlers = {
                "order.created": async (event) => {
                    options.calls.push(event.id);
                    options.onStart?.();
                    await delay(options.handlerMs);
                },
            };
            const exit = main({
                env: { ...ENV, QUEUE_URL: url, VISIBILITY_TIMEOUT_SECONDS: "1", STOP_TIMEOUT_SECONDS: String(options.stopTimeoutSeconds ?? 5) },
                signals,
                sqs: emulators.sqs(),
                dynamoDbClient: emulators.dynamoDb(),
                handlers,
                ...(options.heartbeatIntervalMs !== undefined && { heartbeatIntervalMs: options.heartbeatIntervalMs }),
                onStopped: (s) => (summary = s),
            });
            return {
                stop: async () => {
                    signals.emit("SIGTERM", "SIGTERM");
                    return { code: await exit, summary };
                },
            };
        }

        /** Receives from `url` as a second worker would, for `ms`; returns how many messages it got (and puts them back). */
        async function competitor(url: string, ms: number): Promise<number> {
            let got = 0;
            const until = Date.now() + ms;
            while (Date.now() < until) {
                const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0, VisibilityTimeout: 0 }));
                got += Messages.length;
                await delay(100);
            }
            return got;
        }

        /** Two workers that work twice as long as the visibility timeout: one beats every 300 ms, the other never in time. */
        async function heartbeatScenario() {
            const [beating, silent] = [cloudEvent(), cloudEvent()];
            const [beatingUrl, silentUrl] = [await queueWith(beating), await queueWith(silent)];
            const calls: string[] = [];
            let markBeating: () => void = () => undefined;
            let markSilent: () => void = () => undefined;
            const started = [new Promise<void>((resolve) => (markBeating = resolve)), new Promise<void>((resolve) => (markSilent = resolve))];
            const withHeartbeat = worker(beatingUrl, { handlerMs: 2_000, calls, onStart: () => markBeating(), heartbeatIntervalMs: 300 });
            const without = worker(silentUrl, { handlerMs: 2_000, calls, onStart: () => markSilent(), heartbeatIntervalMs: 60_000 });
            await Promise.all(started);
            const [withBeat, withoutBeat] = await Promise.all([competitor(beatingUrl, 1_700), competitor(silentUrl, 1_700)]);
            await Promise.all([withHeartbeat.stop(), without.stop()]);
            return { beating, beatingUrl, calls, withBeat, withoutBeat };
        }

        /** SIGTERM while the handler runs; the stop timeout (5 s) covers it. */
        async function drainScenario() {
            const event = cloudEvent();
            const url = await queueWith(event);
            const calls: string[] = [];
            let inFlight: () => void = () => undefined;
            const handlerStarted = new Promise<void>((resolve) => (inFlight = resolve));
            const running = worker(url, { handlerMs: 800, calls, onStart: () => inFlight() });
            await handlerStarted;
            return { event, url, calls, stopped: await running.stop() };
        }

        /** SIGTERM while the handler runs longer than the stop timeout (1 s); then a fresh worker on the queue. */
        async function abandonScenario() {
            const event = cloudEvent();
            const url = await queueWith(event);
            const calls: string[] = [];
            let inFlight: () => void = () => undefined;
            const handlerStarted = new Promise<void>((resolve) => (inFlight = resolve));
            const first = worker(url, { handlerMs: 1_500, calls, onStart: () => inFlight(), heartbeatIntervalMs: 300, stopTimeoutSeconds: 1 });
            await handlerStarted;
            const stopped = await first.stop();
            // The abandoned handler still finishes in this process, as it would until SIGKILL.
            const next = worker(url, { handlerMs: 0, calls });
            const deadline = Date.now() + 8_000;
            while (Date.now() < deadline && (await counts(url)).some((n) => n > 0)) {
                await delay(100);
            }
            await next.stop();
            return { event, url, calls, stopped };
        }

        let heartbeat: Awaited<ReturnType<typeof heartbeatScenario>>;
        let drain: Awaited<ReturnType<typeof drainScenario>>;
        let abandon: Awaited<ReturnType<typeof abandonScenario>>;

        // The scenarios share nothing but the emulators, so they run at the same time.
        before(async function () {
            this.timeout(30_000);
            ({ result: [heartbeat, drain, abandon] } = await captureOutput(() => Promise.all([heartbeatScenario(), drainScenario(), abandonScenario()])));
        });

        it("keeps a message invisible past its visibility timeout while the heartbeat extends it; without the heartbeat a second receiver gets it", async () => {
            assert.equal(heartbeat.withBeat, 0, "the heartbeat kept the message from a second receiver");
            assert.ok(heartbeat.withoutBeat > 0, "without a heartbeat the message reappeared after one second");
            assert.deepEqual(heartbeat.calls.filter((id) => id === heartbeat.beating.id), [heartbeat.beating.id]);
            assert.deepEqual(await counts(heartbeat.beatingUrl), [0, 0], "processed once and deleted");
        });

        it("on SIGTERM with a message in flight, finishes it within the stop timeout, deletes it and exits 0: not lost, not processed twice", async () => {
            assert.equal(drain.stopped.code, 0);
            assert.deepEqual(drain.stopped.summary, { batches: 1, received: 1, processed: 1, failed: 0, abandoned: 0, deleted: 1 });
            assert.deepEqual(drain.calls, [drain.event.id]);
            assert.deepEqual(await counts(drain.url), [0, 0]);
        });

        it("on SIGTERM with a message outlasting the stop timeout, leaves it on the queue; the next worker gets it and skips it as processed", async () => {
            assert.equal(abandon.stopped.code, 0);
            assert.equal(abandon.stopped.summary?.abandoned, 1);
            assert.equal(abandon.stopped.summary?.deleted, 0);
            assert.deepEqual(abandon.calls, [abandon.event.id], "the second delivery found the event processed");
            assert.deepEqual(await counts(abandon.url), [0, 0], "not lost: the next worker acknowledged it");
        });
    });
});
