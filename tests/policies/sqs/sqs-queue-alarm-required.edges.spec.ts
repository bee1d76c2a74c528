import assert from "node:assert/strict";
import { sqsQueueAlarmRequired as policy } from "../../../policies/sqs/sqs-queue-alarm-required";
import { UNKNOWN, validateStack } from "../harness";
import { assertRan, change, dependencies, flagged, pipeline } from "../pipeline-fixtures";

describe("sqs-queue-alarm-required: a redrive target unknown during preview", () => {
    it("accepts the DLQ's visible-messages alarm: the queue may be the unknown dead-letter target", async () => {
        // The queue's redrivePolicy is unknown and depends on nothing, so no queue is known to be a DLQ.
        const violations = await validateStack(policy, dependencies(pipeline("preview"), "orders-queue", {}));
        assertRan(violations);
        assert.deepEqual(flagged(violations), []);
    });

    it("still wants an alarm on the queue that has only the other queue's alarm", async () => {
        let fixtures = dependencies(pipeline("preview"), "orders-queue", {});
        fixtures = change(fixtures, "orders-dlq-alarm", { metricName: "NumberOfMessagesSent" });
        const violations = await validateStack(policy, fixtures);
        assertRan(violations);
        assert.deepEqual(flagged(violations), ["orders-dlq"]);
    });
});

describe("sqs-queue-alarm-required: metric math unknown during preview", () => {
    const withMetricQueries = (metricQueries: unknown) =>
        dependencies(
            change(pipeline("preview"), "orders-queue-age-alarm", { namespace: undefined, metricName: undefined, dimensions: undefined, metricQueries }),
            "orders-queue-age-alarm",
            { metricQueries: ["orders-queue"] },
        );

    for (const [title, metricQueries] of [
        ["a wholly unknown metricQueries", UNKNOWN],
        ["an unknown query", [UNKNOWN]],
        ["a query whose metric is unknown", [{ id: "age", returnData: true, metric: UNKNOWN }]],
    ] as const) {
        it(`${title} may be the queue's age alarm (it depends on the queue)`, async () => {
            const violations = await validateStack(policy, withMetricQueries(metricQueries));
            assertRan(violations);
            assert.deepEqual(flagged(violations), []);
        });
    }

    it("an alarm with no metric at all watches nothing", async () => {
        const none = change(pipeline("preview"), "orders-queue-age-alarm", { namespace: undefined, metricName: undefined, dimensions: undefined, metricQueries: [] });
        assert.deepEqual(flagged(await validateStack(policy, none)), ["orders-queue"]);
    });
});
