import assert from "node:assert/strict";
import { sqsQueueEncrypted as policy } from "../../../policies/sqs/sqs-queue-encrypted";
import { UNKNOWN, validateResource } from "../harness";
import { assertRan, byName, MALFORMED_VALUES, pipeline } from "../pipeline-fixtures";

const queue = () => byName(pipeline("deployed"), "orders-queue");

async function check(changes: Record<string, unknown>, type = "aws:sqs/queue:Queue") {
    const violations = await validateResource(policy, { type, props: { ...queue().props, ...changes } });
    assertRan(violations);
    return violations;
}

describe("sqs-queue-encrypted", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "sqs-queue-encrypted");
        assert.match(policy.description, /encrypt/i);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes SSE-SQS (sqsManagedSseEnabled: true)", async () => {
            assert.deepEqual(await check({}), []);
        });

        it("passes a queue that leaves encryption unset (SQS's default)", async () => {
            assert.deepEqual(await check({ sqsManagedSseEnabled: undefined }), []);
        });

        it("passes SSE-KMS: sqsManagedSseEnabled false with a kmsMasterKeyId", async () => {
            assert.deepEqual(await check({ sqsManagedSseEnabled: false, kmsMasterKeyId: "alias/orders" }), []);
        });

        it("does not apply to other types", async () => {
            assert.deepEqual(await check({ sqsManagedSseEnabled: false }, "aws:sns/topic:Topic"), []);
        });
    });

    describe("non-compliance", () => {
        it("flags sqsManagedSseEnabled: false without a key", async () => {
            const violations = await check({ sqsManagedSseEnabled: false });
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /'subject'.*turns server-side encryption off.*remove sqsManagedSseEnabled: false.*kmsMasterKeyId/);
        });

        it("flags the string \"false\" and an empty key alike", async () => {
            assert.equal((await check({ sqsManagedSseEnabled: "false" })).length, 1);
            assert.equal((await check({ sqsManagedSseEnabled: false, kmsMasterKeyId: "" })).length, 1);
            assert.equal((await check({ sqsManagedSseEnabled: false, kmsMasterKeyId: 42 })).length, 1);
        });
    });

    describe("unknown values during preview", () => {
        it("passes an unknown sqsManagedSseEnabled or an unknown key", async () => {
            assert.deepEqual(await check({ sqsManagedSseEnabled: UNKNOWN }), []);
            assert.deepEqual(await check({ sqsManagedSseEnabled: false, kmsMasterKeyId: UNKNOWN }), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on sqsManagedSseEnabled or kmsMasterKeyId = ${JSON.stringify(value)}`, async () => {
                await check({ sqsManagedSseEnabled: value });
                await check({ sqsManagedSseEnabled: false, kmsMasterKeyId: value });
            });
        }

        it("does not flag a value that is not a boolean", async () => {
            assert.deepEqual(await check({ sqsManagedSseEnabled: "maybe" }), []);
        });
    });
});

describe("sqs-queue-encrypted: a blank kmsMasterKeyId", () => {
    it("is no key: SSE turned off with a key id of spaces is flagged", async () => {
        const queue = { type: "aws:sqs/queue:Queue", props: { name: "orders", sqsManagedSseEnabled: false, kmsMasterKeyId: "  " } };
        assert.equal((await validateResource(policy, queue)).length, 1);
    });
});
