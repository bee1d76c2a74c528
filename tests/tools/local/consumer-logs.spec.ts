/**
 * The local run learns what a consumer did from its logs. These drive the real consumer through
 * every outcome and check that the classifier recognises each line it writes: a change of wording
 * in the shared processor fails here, not silently in the trace.
 */
import assert from "node:assert/strict";
import { createHandler } from "../../../consumers/lambda/handler";
import { classifyLogLine, isExecution, type Outcome } from "../../../tools/local/consumer-logs";
import { captureOutput, cloudEvent, FakeIdempotencyTable, lambdaContext, releaseOutput, snsEnvelope, sqsEvent } from "../../consumers/support";

const ENV = { CONSUMER_NAME: "orders", IDEMPOTENCY_TABLE_NAME: "idempotency-1a2b3c", POWERTOOLS_SERVICE_NAME: "orders", POWERTOOLS_LOG_LEVEL: "INFO" };

describe("tools/local/consumer-logs: what a consumer did, from its log lines", () => {
    let table: FakeIdempotencyTable;
    beforeEach(() => (table = new FakeIdempotencyTable()));
    afterEach(() => {
        releaseOutput();
        table.restore();
    });

    it("recognises each outcome the consumer logs, with the SQS message id and the event id", async () => {
        let release: () => void = () => undefined;
        const handler = createHandler({
            env: ENV,
            dynamoDbClient: table.client,
            handlers: {
                "order.created": async (event) => {
                    if ((event.data as { slow?: boolean }).slow) {
                        await new Promise<void>((resolve) => (release = resolve));
                    }
                    if ((event.data as { fail?: boolean }).fail) {
                        throw new Error("downstream refused it");
                    }
                },
            },
        });
        const created = cloudEvent();
        const unhandled = cloudEvent({ type: "order.archived" });
        const failing = cloudEvent({ data: { fail: true } });
        const slow = cloudEvent({ data: { slow: true } });

        const { stdout, stderr } = await captureOutput(async () => {
            await handler(sqsEvent(JSON.stringify(created), JSON.stringify(unhandled), JSON.stringify(failing), "not a CloudEvent"), lambdaContext());
            await handler(sqsEvent(snsEnvelope(created)), lambdaContext());
            const first = handler(sqsEvent(JSON.stringify(slow)), lambdaContext());
            await new Promise((resolve) => setTimeout(resolve, 20));
            await handler(sqsEvent(JSON.stringify(slow)), lambdaContext());
            release();
            await first;
        });

        // Powertools writes errors to stderr, everything else to stdout.
        const entries = [...stdout, ...stderr].map((line) => classifyLogLine(line)).filter((entry) => entry !== undefined);
        const outcomeOf = (eventId: string) => entries.filter((e) => e.eventId === eventId).map((e) => e.outcome);
        assert.deepEqual(outcomeOf(created.id), ["processed", "duplicate"] satisfies Outcome[]);
        assert.deepEqual(outcomeOf(unhandled.id), ["unhandled"] satisfies Outcome[]);
        assert.deepEqual(outcomeOf(failing.id), ["failed"] satisfies Outcome[]);
        assert.deepEqual(outcomeOf(slow.id).sort(), ["in-progress", "processed"] satisfies Outcome[]);
        const poison = entries.filter((e) => e.outcome === "not-a-cloudevent");
        assert.equal(poison.length, 1);
        assert.equal(poison[0]!.eventId, undefined);
        assert.equal(poison[0]!.messageId, "msg-4");
        assert.ok(entries.every((e) => /^msg-\d+$/.test(e.messageId)));
    });

    it("ignores every other line: metrics, debug lines, text", () => {
        assert.equal(classifyLogLine('{"_aws":{"Timestamp":1},"EventsProcessed":1}'), undefined);
        assert.equal(classifyLogLine('{"level":"INFO","message":"Worker started","messageId":"m-1"}'), undefined);
        assert.equal(classifyLogLine('{"level":"INFO","message":"Event processed"}'), undefined, "no message id: not a delivery's outcome");
        assert.equal(classifyLogLine("Event processed"), undefined);
        assert.equal(classifyLogLine("{not json"), undefined);
    });

    it("counts an acknowledged event without a handler as processed, a duplicate or a retry as not", () => {
        assert.deepEqual(
            (["processed", "unhandled", "duplicate", "in-progress", "failed", "not-a-cloudevent"] as Outcome[]).filter(isExecution),
            ["processed", "unhandled"],
        );
    });
});
