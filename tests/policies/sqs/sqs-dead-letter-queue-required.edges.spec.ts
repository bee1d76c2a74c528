import assert from "node:assert/strict";
import { sqsDeadLetterQueueRequired as policy } from "../../../policies/sqs/sqs-dead-letter-queue-required";
import { validateStack } from "../harness";
import { add, assertRan, change, flagged, PHYSICAL, pipeline, queueUrl } from "../pipeline-fixtures";

describe("sqs-dead-letter-queue-required: a RedrivePolicy resource that names no dead-letter queue", () => {
    for (const redrivePolicy of ["{}", '{"maxReceiveCount": 5}', ""]) {
        it(`gives the queue no redrive: redrivePolicy = ${JSON.stringify(redrivePolicy)}`, async () => {
            const fixtures = add(change(pipeline("deployed"), "orders-queue", { redrivePolicy: undefined }), {
                type: "aws:sqs/redrivePolicy:RedrivePolicy",
                name: "orders-redrive",
                props: { queueUrl: queueUrl(PHYSICAL.queue), redrivePolicy },
            });
            const violations = await validateStack(policy, fixtures);
            assertRan(violations);
            assert.ok(flagged(violations).includes("orders-queue"), JSON.stringify(violations));
        });
    }
});
