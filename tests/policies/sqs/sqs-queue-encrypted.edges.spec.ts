import assert from "node:assert/strict";
import { sqsQueueEncrypted } from "../../../policies/sqs/sqs-queue-encrypted";
import { validateResource } from "../harness";

describe("sqs-queue-encrypted: a blank kmsMasterKeyId", () => {
    it("is no key: SSE turned off with a key id of spaces is flagged", async () => {
        const queue = { type: "aws:sqs/queue:Queue", props: { name: "orders", sqsManagedSseEnabled: false, kmsMasterKeyId: "  " } };
        assert.equal((await validateResource(sqsQueueEncrypted, queue)).length, 1);
    });
});
