import assert from "node:assert/strict";
import { sqsQueueTlsOnly as policy } from "../../../policies/sqs/sqs-queue-tls-only";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import {
    ACCOUNT,
    assertRan,
    change,
    dependencies,
    flagged,
    inRegion,
    literal,
    MALFORMED_VALUES,
    OTHER_ACCOUNT,
    OTHER_REGION,
    PHYSICAL,
    pipeline,
    policyJson,
    queueArn,
    queueUrl,
    REGION,
    remove,
    tlsDenyStatement,
    topicArn,
} from "../pipeline-fixtures";

async function check(fixtures: FixtureResource[]): Promise<string[]> {
    const violations = await validateStack(policy, fixtures);
    assertRan(violations);
    return flagged(violations);
}

const deployed = () => pipeline("deployed");
const deny = (overrides: Record<string, unknown> = {}) => ({ ...tlsDenyStatement("sqs", queueArn(PHYSICAL.queue)), ...overrides });
/** The deployed pipeline with the queue's QueuePolicy document replaced. */
const withQueuePolicy = (policyValue: unknown) => change(deployed(), "orders-queue-policy", { policy: policyValue });

describe("sqs-queue-tls-only", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "sqs-queue-tls-only");
        assert.match(policy.description, /TLS/);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes the deployed pipeline: each queue's QueuePolicy denies sqs:* without TLS", async () => {
            assert.deepEqual(await check(deployed()), []);
        });

        it("passes a deny written inline in the queue's own policy", async () => {
            const fixtures = change(remove(deployed(), "orders-queue-policy"), "orders-queue", { policy: policyJson(deny()) });
            assert.deepEqual(await check(fixtures), []);
        });

        const variants: [string, unknown][] = [
            ["Action \"*\"", policyJson(deny({ Action: "*" }))],
            ["Action as an array, upper case", policyJson(deny({ Action: ["SQS:*"] }))],
            ["Principal { AWS: \"*\" }", policyJson(deny({ Principal: { AWS: "*" } }))],
            ["Principal { AWS: [\"*\"] }", policyJson(deny({ Principal: { AWS: ["*"] } }))],
            ["the condition key in another case", policyJson(deny({ Condition: { Bool: { "AWS:SECURETRANSPORT": "false" } } }))],
            ["the condition value as a boolean", policyJson(deny({ Condition: { Bool: { "aws:SecureTransport": false } } }))],
            ["BoolIfExists", policyJson(deny({ Condition: { BoolIfExists: { "aws:SecureTransport": "false" } } }))],
            ["a single Statement object", JSON.stringify({ Version: "2012-10-17", Statement: deny() })],
            ["a document object instead of a JSON string", { Version: "2012-10-17", Statement: [deny()] }],
        ];
        for (const [what, document] of variants) {
            it(`passes a deny with ${what}`, async () => {
                assert.deepEqual(await check(withQueuePolicy(document)), []);
            });
        }
    });

    describe("non-compliance", () => {
        it("flags a queue without any policy", async () => {
            const violations = await validateStack(policy, remove(deployed(), "orders-queue-policy"));
            assert.deepEqual(flagged(violations), ["orders-queue"]);
            assert.match(violations[0].message, /has no queue policy.*"Effect": "Deny".*aws:SecureTransport/);
        });

        const variants: [string, unknown][] = [
            ["no deny at all", policyJson({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage" })],
            ["a deny of one action only", policyJson(deny({ Action: "sqs:SendMessage" }))],
            ["a deny for one principal only", policyJson(deny({ Principal: { AWS: "arn:aws:iam::123456789012:root" } }))],
            ["an Allow instead of a Deny", policyJson(deny({ Effect: "Allow" }))],
            ["a condition on \"true\"", policyJson(deny({ Condition: { Bool: { "aws:SecureTransport": "true" } } }))],
            ["a further condition narrowing the deny", policyJson(deny({ Condition: { Bool: { "aws:SecureTransport": "false" }, StringNotEquals: { "aws:SourceVpce": "vpce-1" } } }))],
            ["NotAction instead of Action", policyJson(deny({ Action: undefined, NotAction: "sqs:ReceiveMessage" }))],
        ];
        for (const [what, document] of variants) {
            it(`flags ${what}`, async () => {
                const violations = await validateStack(policy, withQueuePolicy(document));
                assert.deepEqual(flagged(violations), ["orders-queue"]);
                assert.match(violations[0].message, /does not deny sqs:\* to everyone/);
            });
        }

        it("flags a queue whose QueuePolicy belongs to another queue", async () => {
            assert.deepEqual(await check(literal(deployed(), "orders-queue-policy", { queueUrl: queueUrl("someone-elses-queue") })), ["orders-queue"]);
        });
    });

    describe("unknown values during preview", () => {
        it("passes the preview of a new stack (documents built from ARNs are unknown)", async () => {
            assert.deepEqual(await check(pipeline("preview")), []);
        });

        it("relates a QueuePolicy to its queue through propertyDependencies when queueUrl is unknown", async () => {
            const known = change(pipeline("preview"), "orders-queue-policy", { policy: policyJson({ Effect: "Allow", Principal: "*", Action: "sqs:GetQueueUrl" }) });
            assert.deepEqual(await check(known), ["orders-queue"]);
            const fixed = change(pipeline("preview"), "orders-queue-policy", { policy: policyJson(deny({ Resource: "*" })) });
            assert.deepEqual(await check(fixed), []);
        });

        it("counts a QueuePolicy whose unknown queueUrl depends on no queue as possibly any queue's", async () => {
            const fixtures = dependencies(change(remove(deployed(), "orders-dlq-policy"), "orders-queue-policy", { queueUrl: UNKNOWN }), "orders-queue-policy", {});
            assert.deepEqual(await check(fixtures), []);
        });

        it("passes a document with an unknown part", async () => {
            assert.deepEqual(await check(withQueuePolicy({ Version: "2012-10-17", Statement: [deny({ Action: UNKNOWN })] })), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on a policy or queueUrl = ${JSON.stringify(value)}`, async () => {
                await check(withQueuePolicy(value));
                await check(change(deployed(), "orders-queue-policy", { queueUrl: value }));
                await check(change(deployed(), "orders-queue", { policy: value }));
                await check(withQueuePolicy({ Statement: [value, deny({ Condition: value, Principal: value })] }));
            });
        }

        it("flags a policy that is not JSON, saying so", async () => {
            const violations = await validateStack(policy, withQueuePolicy("{\"Statement\": ["));
            assert.deepEqual(flagged(violations), ["orders-queue"]);
            assert.match(violations[0].message, /not a valid policy document/);
        });
    });
});

describe("sqs-queue-tls-only: the QueuePolicy's queue as the program names it, in a first preview and after", () => {
    const preview = () => inRegion(pipeline("preview"), REGION);
    /** The queue's QueuePolicy with a known document that denies plain HTTP, and `queueUrl`. */
    const queuePolicy = (fixtures: FixtureResource[], queueUrlValue: string, write: typeof literal = literal) =>
        write(literal(fixtures, "orders-queue-policy", { policy: policyJson(deny()) }), "orders-queue-policy", { queueUrl: queueUrlValue });

    it("relates a QueuePolicy to its queue by a literal URL while the queue's own URL is unknown (first preview)", async () => {
        assert.deepEqual(await check(queuePolicy(preview(), queueUrl(PHYSICAL.queue))), []);
        assert.deepEqual(await check(queuePolicy(preview(), `https://${REGION}.queue.amazonaws.com/${ACCOUNT}/${PHYSICAL.queue}`)), []);
    });

    it("relates it through the queueUrl's dependencies when the literal names no queue here", async () => {
        assert.deepEqual(await check(queuePolicy(preview(), queueUrl("orders-queue-from-config"), change)), []);
    });

    it("does not relate it to the queue of the same name in another region or account, nor through dependencies then", async () => {
        assert.deepEqual(await check(queuePolicy(preview(), queueUrl(PHYSICAL.queue, OTHER_REGION))), ["orders-queue"]);
        assert.deepEqual(await check(queuePolicy(deployed(), queueUrl(PHYSICAL.queue, REGION, OTHER_ACCOUNT))), ["orders-queue"]);
        assert.deepEqual(await check(queuePolicy(preview(), queueUrl("orders-queue-from-config", OTHER_REGION), change)), ["orders-queue"]);
    });

    it("does not take a topic of the queue's name for the queue", async () => {
        assert.deepEqual(await check(queuePolicy(preview(), topicArn(PHYSICAL.queue))), ["orders-queue"]);
    });
});
