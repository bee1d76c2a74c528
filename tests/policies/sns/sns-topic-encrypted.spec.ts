import assert from "node:assert/strict";
import { snsTopicEncrypted as policy } from "../../../policies/sns/sns-topic-encrypted";
import { UNKNOWN, validateResource } from "../harness";
import { assertRan, byName, MALFORMED_VALUES, pipeline } from "../pipeline-fixtures";

const topic = () => byName(pipeline("deployed"), "orders-events");

async function check(changes: Record<string, unknown>, type = "aws:sns/topic:Topic") {
    const violations = await validateResource(policy, { type, props: { ...topic().props, ...changes } });
    assertRan(violations);
    return violations;
}

describe("sns-topic-encrypted", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "sns-topic-encrypted");
        assert.match(policy.description, /KMS/);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes a topic with a kmsMasterKeyId (alias or ARN)", async () => {
            assert.deepEqual(await check({}), []);
            assert.deepEqual(await check({ kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }), []);
        });

        it("does not apply to other types", async () => {
            assert.deepEqual(await check({ kmsMasterKeyId: undefined }, "aws:sqs/queue:Queue"), []);
        });
    });

    describe("non-compliance", () => {
        it("flags a topic without kmsMasterKeyId", async () => {
            const violations = await check({ kmsMasterKeyId: undefined });
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /'subject' is not encrypted at rest.*set kmsMasterKeyId/);
        });

        it("flags an empty key id", async () => {
            assert.equal((await check({ kmsMasterKeyId: "  " })).length, 1);
        });
    });

    describe("unknown values during preview", () => {
        it("passes a key id not known until deploy time (a key created in the same stack)", async () => {
            assert.deepEqual(await check({ kmsMasterKeyId: UNKNOWN }), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on kmsMasterKeyId = ${JSON.stringify(value)}`, async () => {
                await check({ kmsMasterKeyId: value });
            });
        }

        it("flags a key id that is not a string", async () => {
            assert.equal((await check({ kmsMasterKeyId: 42 })).length, 1);
            assert.equal((await check({ kmsMasterKeyId: null })).length, 1);
        });
    });
});
