import assert from "node:assert/strict";
import { sqsQueueAlarmRequired as policy } from "../../../policies/sqs/sqs-queue-alarm-required";
import { validateStack } from "../harness";
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
