import assert from "node:assert/strict";
import { deadLetterTarget } from "../../../policies/lib/relations";

describe("deadLetterTarget: what names a dead-letter queue", () => {
    it("null and absent name none and are not malformed", () => {
        assert.deepEqual(deadLetterTarget(null), { target: undefined, malformed: false });
        assert.deepEqual(deadLetterTarget(undefined), { target: undefined, malformed: false });
    });

    it("text that is not a JSON object is malformed", () => {
        assert.deepEqual(deadLetterTarget("arn:aws:sqs:eu-west-1:123456789012:orders-dlq"), { target: undefined, malformed: true });
        assert.deepEqual(deadLetterTarget("[1]"), { target: undefined, malformed: true });
    });

    it("finds deadLetterTargetArn among other keys, in any case", () => {
        assert.deepEqual(deadLetterTarget({ maxReceiveCount: 5, DeadLetterTargetArn: "arn:dlq" }), { target: "arn:dlq", malformed: false });
    });

    it("an empty target names nothing and is malformed", () => {
        assert.deepEqual(deadLetterTarget({ deadLetterTargetArn: "", maxReceiveCount: 5 }), { target: undefined, malformed: true });
    });
});
