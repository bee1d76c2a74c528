import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { strict as assert } from "node:assert";
import { EventEmitter } from "node:events";
import { main } from "../../../consumers/worker/main";
import type { WorkerSummary } from "../../../consumers/worker/worker";
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
});
