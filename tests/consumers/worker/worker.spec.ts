import { ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, type Message } from "@aws-sdk/client-sqs";
import { strict as assert } from "node:assert";
import type { EventHandlers } from "../../../consumers/shared/handlers";
import { createConsumerRuntime } from "../../../consumers/shared/runtime";
import { readConsumerSettings } from "../../../consumers/shared/settings";
import { QueueWorker, type WorkerOptions, type WorkerSummary } from "../../../consumers/worker/worker";
import { captureOutput, cloudEvent, emfBlobs, FakeIdempotencyTable, jsonLines, metricSum, releaseOutput, snsEnvelope } from "../support";
import { delay, ENV, message, QUEUE_URL, recordingHandlers, ScriptedQueue } from "./support";

interface Harness {
    queue: ScriptedQueue;
    table: FakeIdempotencyTable;
    stop: AbortController;
    run(): Promise<{ summary: WorkerSummary; stdout: string[]; stderr: string[] }>;
}

function harness(
    batches: (Message[] | Error)[],
    handlers: EventHandlers,
    options: Partial<WorkerOptions> = {},
    stop = new AbortController(),
): Harness {
    const queue = new ScriptedQueue(batches, stop.signal);
    const table = new FakeIdempotencyTable();
    // By default the queue drains and then the "task" is stopped, like a scale-in.
    queue.whenIdle = () => stop.abort();
    return {
        queue,
        table,
        stop,
        run: async () => {
            const { result, stdout, stderr } = await captureOutput(() => {
                const { logger, metrics, processor } = createConsumerRuntime(readConsumerSettings(ENV), {
                    dynamoDbClient: table.client,
                    handlers,
                });
                return new QueueWorker({
                    sqs: queue.client,
                    queueUrl: QUEUE_URL,
                    processor,
                    logger,
                    metrics,
                    visibilityTimeoutSeconds: 30,
                    stopTimeoutMs: 2_000,
                    heartbeatIntervalMs: 20,
                    errorBackoffMs: 5,
                    ...options,
                }).run(stop.signal);
            });
            return { summary: result, stdout, stderr };
        },
    };
}


describe("SQS worker", () => {
    const cleanups: (() => void)[] = [];
    afterEach(() => {
        releaseOutput();
        cleanups.splice(0).forEach((cleanup) => cleanup());
    });
    function track(h: Harness): Harness {
        cleanups.push(() => h.queue.mock.restore(), () => h.table.restore());
        return h;
    }

    it("long-polls for up to 10 messages and deletes what it processed in one DeleteMessageBatch", async () => {
        const calls: string[] = [];
        const batch = [message(JSON.stringify(cloudEvent())), message(snsEnvelope(cloudEvent()))];
        const h = track(harness([batch], recordingHandlers(calls)));

        const { summary } = await h.run();

        const receive = h.queue.receiveCalls()[0].args[0].input;
        assert.equal(receive.QueueUrl, QUEUE_URL);
        assert.equal(receive.WaitTimeSeconds, 20);
        assert.equal(receive.MaxNumberOfMessages, 10);
        assert.equal(receive.VisibilityTimeout, 30);
        assert.equal(h.queue.mock.commandCalls(DeleteMessageBatchCommand).length, 1);
        assert.deepEqual(h.queue.deleted().sort(), batch.map((m) => m.ReceiptHandle).sort());
        assert.equal(calls.length, 2);
        assert.deepEqual(summary, { batches: 1, received: 2, processed: 2, failed: 0, abandoned: 0, deleted: 2 });
    });

    it("processes a duplicate delivery once, and deletes both copies", async () => {
        const calls: string[] = [];
        const event = cloudEvent();
        const first = message(JSON.stringify(event));
        const again = message(snsEnvelope(event)); // SNS's second delivery: another SQS message
        const h = track(harness([[first], [again]], recordingHandlers(calls)));

        const { summary, stdout } = await h.run();

        assert.deepEqual(calls, [event.id]);
        assert.deepEqual(h.queue.deleted(), [first.ReceiptHandle, again.ReceiptHandle]);
        assert.equal(summary.processed, 2);
        assert.equal(metricSum(stdout, "EventsDuplicate"), 1);
    });

    it("never deletes a message that fails, however often it comes back", async () => {
        const calls: string[] = [];
        const poison = cloudEvent();
        const good = message(JSON.stringify(cloudEvent()));
        const malformed = message("<xml/>");
        // SQS redelivers the failing message after each visibility timeout (same message, new receipt).
        const failing = [1, 2, 3].map(() => message(JSON.stringify(poison)));
        const h = track(
            harness(
                [[good, malformed, failing[0]], [failing[1]], [failing[2]]],
                recordingHandlers(calls, async (event) => {
                    if (event.id === poison.id) {
                        throw new Error("downstream rejected the order");
                    }
                }),
            ),
        );

        const { summary } = await h.run();

        assert.deepEqual(h.queue.deleted(), [good.ReceiptHandle]);
        assert.equal(calls.filter((id) => id === poison.id).length, 3, "retried on every delivery");
        assert.equal(summary.failed, 4);
        // A failed attempt must not leave an idempotency claim that would block the next one.
        assert.deepEqual([...h.table.items.values()].map((item) => item.status?.S), ["COMPLETED"]);
    });

    it("on a stop signal mid-batch, finishes the in-flight messages, deletes them and receives no more", async () => {
        const calls: string[] = [];
        const slow = message(JSON.stringify(cloudEvent()));
        const fast = message(JSON.stringify(cloudEvent()));
        const neverReceived = message(JSON.stringify(cloudEvent()));
        const stop = new AbortController();
        const handlers = recordingHandlers(calls, async (event) => {
            if (slow.Body?.includes(event.id)) {
                stop.abort(); // SIGTERM while this message is being worked on
                await delay(80);
            }
        });
        const h = track(harness([[slow, fast], [neverReceived]], handlers, {}, stop));

        const { summary } = await h.run();

        assert.equal(h.queue.receiveCalls().length, 1, "no receive after the stop signal");
        assert.deepEqual(h.queue.deleted().sort(), [fast.ReceiptHandle, slow.ReceiptHandle].sort());
        assert.equal(calls.length, 2);
        assert.deepEqual(summary, { batches: 1, received: 2, processed: 2, failed: 0, abandoned: 0, deleted: 2 });
    });

    it("at the stop timeout, deletes only what finished and leaves the rest for redelivery", async function () {
        this.timeout(3_000); // a worker that ignored its stop timeout would wait here forever
        const slow = message(JSON.stringify(cloudEvent()));
        const fast = message(JSON.stringify(cloudEvent()));
        const stop = new AbortController();
        const handlers = recordingHandlers([], async (event) => {
            if (slow.Body?.includes(event.id)) {
                stop.abort();
                // Work that outlives the task: it never finishes (and so never touches the
                // mocked clients after this test has restored them).
                await new Promise(() => undefined);
            }
        });
        const h = track(harness([[slow, fast]], handlers, { stopTimeoutMs: 60 }, stop));

        const started = Date.now();
        const { summary, stdout, stderr } = await h.run();

        assert.ok(Date.now() - started < 1_000, "returned at the stop timeout");
        assert.deepEqual(h.queue.deleted(), [fast.ReceiptHandle]);
        assert.equal(summary.abandoned, 1);
        const heartbeatsAtStop = h.queue.heartbeatsFor(slow.ReceiptHandle as string).length;
        await delay(80);
        assert.equal(h.queue.heartbeatsFor(slow.ReceiptHandle as string).length, heartbeatsAtStop, "heartbeat stopped");
        assert.ok(jsonLines([...stdout, ...stderr]).some((line) => /Stop timeout reached/.test(String(line.message))));
    });

    it("extends the visibility of slow work with a heartbeat, and stops once the message is settled", async () => {
        const slow = message(JSON.stringify(cloudEvent()));
        const quick = message(JSON.stringify(cloudEvent()));
        const failing = message("not a CloudEvent");
        const h = track(
            harness(
                [[slow, quick, failing]],
                recordingHandlers([], (event) => (slow.Body?.includes(event.id) ? delay(150) : Promise.resolve())),
            ),
        );

        await h.run();

        const beats = h.queue.heartbeatsFor(slow.ReceiptHandle as string);
        assert.ok(beats.length >= 3, `expected several heartbeats, got ${beats.length}`);
        for (const beat of beats) {
            assert.deepEqual(beat.args[0].input, { QueueUrl: QUEUE_URL, ReceiptHandle: slow.ReceiptHandle, VisibilityTimeout: 30 });
        }
        assert.equal(h.queue.heartbeatsFor(failing.ReceiptHandle as string).length, 0, "a failed message is let go at once");
        // Processed but not yet deleted (its batch is still running): it must not reappear meanwhile.
        assert.ok(h.queue.heartbeatsFor(quick.ReceiptHandle as string).length >= 3, "a processed message waits invisibly");
        assert.deepEqual(h.queue.deleted().sort(), [quick.ReceiptHandle, slow.ReceiptHandle].sort());
        const total = h.queue.mock.commandCalls(ChangeMessageVisibilityCommand).length;
        await delay(80);
        assert.equal(h.queue.mock.commandCalls(ChangeMessageVisibilityCommand).length, total, "no heartbeat after delete");
    });

    it("backs off and keeps polling when ReceiveMessage fails", async () => {
        const calls: string[] = [];
        const later = message(JSON.stringify(cloudEvent()));
        const throttled = Object.assign(new Error("throttled"), { name: "RequestThrottled" });
        const h = track(harness([throttled, [later]], recordingHandlers(calls)));

        const { stderr } = await h.run();

        assert.equal(calls.length, 1);
        assert.deepEqual(h.queue.deleted(), [later.ReceiptHandle]);
        assert.ok(jsonLines(stderr).some((line) => line.level === "ERROR" && /ReceiveMessage failed/.test(String(line.message))));
    });

    it("writes EMF metrics and JSON logs to stdout after each batch", async () => {
        const event = cloudEvent();
        const h = track(harness([[message(JSON.stringify(event)), message("{}")]], recordingHandlers([])));

        const { stdout, stderr } = await h.run();

        const blobs = emfBlobs(stdout);
        assert.equal(blobs.length, 1);
        assert.equal(blobs[0]._aws.CloudWatchMetrics[0].Namespace, "event-pipeline/test");
        assert.equal(blobs[0].EventsProcessed, 1);
        assert.equal(blobs[0].EventsFailed, 1);
        assert.ok(jsonLines(stdout).some((line) => line.correlation_id === event.id && line.service === "orders-worker"));
        jsonLines(stderr); // every line structured, errors included
    });
});
