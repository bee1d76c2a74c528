import assert from "node:assert/strict";
import { sqsVisibilityTimeoutCoversConsumer as policy } from "../../../policies/sqs/sqs-visibility-timeout-covers-consumer";
import { validateStack } from "../harness";
import { assertRan, change, pipeline } from "../pipeline-fixtures";

describe("sqs-visibility-timeout-covers-consumer: timeouts set to null", () => {
    it("a null visibility timeout is unset: SQS's 30 s default is judged", async () => {
        const violations = await validateStack(policy, change(pipeline("deployed"), "orders-queue", { visibilityTimeoutSeconds: null }));
        assertRan(violations);
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /has a visibility timeout of 30 s, less than 6 × the 30 s timeout/);
    });

    it("a null function timeout is unset: Lambda's 3 s default is judged", async () => {
        let fixtures = change(pipeline("deployed"), "orders-worker", { timeout: null });
        fixtures = change(fixtures, "orders-queue", { visibilityTimeoutSeconds: 10 });
        const violations = await validateStack(policy, fixtures);
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /less than 6 × the 3 s timeout .* at least 18 /);
    });
});
