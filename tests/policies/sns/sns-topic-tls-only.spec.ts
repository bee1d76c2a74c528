import assert from "node:assert/strict";
import { snsTopicTlsOnly as policy } from "../../../policies/sns/sns-topic-tls-only";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import {
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
const deny = (overrides: Record<string, unknown> = {}) => ({ ...tlsDenyStatement("sns", topicArn(PHYSICAL.topic)), ...overrides });
const withTopicPolicy = (policyValue: unknown) => change(deployed(), "orders-events-policy", { policy: policyValue });

describe("sns-topic-tls-only", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "sns-topic-tls-only");
        assert.match(policy.description, /TLS/);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes the deployed pipeline: its TopicPolicy denies sns:* without TLS", async () => {
            assert.deepEqual(await check(deployed()), []);
        });

        it("passes a deny written inline in the topic's own policy", async () => {
            assert.deepEqual(await check(change(remove(deployed(), "orders-events-policy"), "orders-events", { policy: policyJson(deny()) })), []);
        });

        const variants: [string, unknown][] = [
            ["Action sns:Publish (AWS's example)", policyJson(deny({ Action: "SNS:Publish" }))],
            ["Action \"*\"", policyJson(deny({ Action: ["*"] }))],
            ["Principal { AWS: \"*\" } and a boolean false", policyJson(deny({ Principal: { AWS: "*" }, Condition: { Bool: { "aws:securetransport": false } } }))],
            ["a document object", { Statement: [deny()] }],
        ];
        for (const [what, document] of variants) {
            it(`passes a deny with ${what}`, async () => {
                assert.deepEqual(await check(withTopicPolicy(document)), []);
            });
        }
    });

    describe("non-compliance", () => {
        it("flags a topic without any policy", async () => {
            const violations = await validateStack(policy, remove(deployed(), "orders-events-policy"));
            assert.deepEqual(flagged(violations), ["orders-events"]);
            assert.match(violations[0].message, /has no topic policy.*aws:SecureTransport/);
        });

        const variants: [string, unknown][] = [
            ["only an allow", policyJson({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish" })],
            ["a deny that leaves publishing open", policyJson(deny({ Action: "sns:Subscribe" }))],
            ["a deny for one principal", policyJson(deny({ Principal: { AWS: "arn:aws:iam::123456789012:root" } }))],
            ["a deny without the TLS condition", policyJson(deny({ Condition: undefined }))],
        ];
        for (const [what, document] of variants) {
            it(`flags ${what}`, async () => {
                const violations = await validateStack(policy, withTopicPolicy(document));
                assert.deepEqual(flagged(violations), ["orders-events"]);
                assert.match(violations[0].message, /does not deny requests to everyone/);
            });
        }

        it("flags a topic whose TopicPolicy belongs to another topic", async () => {
            assert.deepEqual(await check(literal(deployed(), "orders-events-policy", { arn: topicArn("another-topic") })), ["orders-events"]);
        });
    });

    describe("unknown values during preview", () => {
        it("passes the preview of a new stack", async () => {
            assert.deepEqual(await check(pipeline("preview")), []);
        });

        it("relates a TopicPolicy to its topic through propertyDependencies when arn is unknown", async () => {
            const lacking = change(pipeline("preview"), "orders-events-policy", { policy: policyJson({ Effect: "Allow", Principal: "*", Action: "sns:Subscribe" }) });
            assert.deepEqual(await check(lacking), ["orders-events"]);
            const denying = change(pipeline("preview"), "orders-events-policy", { policy: policyJson(deny({ Resource: "*" })) });
            assert.deepEqual(await check(denying), []);
        });

        it("counts a TopicPolicy whose unknown arn depends on no topic as possibly any topic's", async () => {
            assert.deepEqual(await check(dependencies(change(deployed(), "orders-events-policy", { arn: UNKNOWN }), "orders-events-policy", {})), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on a policy or arn = ${JSON.stringify(value)}`, async () => {
                await check(withTopicPolicy(value));
                await check(change(deployed(), "orders-events-policy", { arn: value }));
                await check(change(deployed(), "orders-events", { policy: value }));
            });
        }

        it("flags a policy that is not JSON, saying so", async () => {
            const violations = await validateStack(policy, withTopicPolicy("Deny everything"));
            assert.match(violations[0].message, /not a valid policy document/);
        });
    });
});

describe("sns-topic-tls-only: the TopicPolicy's topic as the program names it, in a first preview and after", () => {
    const preview = () => inRegion(pipeline("preview"), REGION);
    /** The topic's TopicPolicy with a known document that denies plain HTTP, and `arn`. */
    const topicPolicy = (fixtures: FixtureResource[], arn: string, write: typeof literal = literal) =>
        write(literal(fixtures, "orders-events-policy", { policy: policyJson(deny()) }), "orders-events-policy", { arn });

    it("relates a TopicPolicy to its topic by a literal ARN while the topic's own ARN is unknown (first preview)", async () => {
        assert.deepEqual(await check(topicPolicy(preview(), topicArn(PHYSICAL.topic))), []);
    });

    it("relates it through the arn's dependencies when the literal names no topic here", async () => {
        assert.deepEqual(await check(topicPolicy(preview(), topicArn("orders-events-from-config"), change)), []);
    });

    it("does not relate it to the topic of the same name in another region or account, nor through dependencies then", async () => {
        assert.deepEqual(await check(topicPolicy(preview(), topicArn(PHYSICAL.topic, OTHER_REGION))), ["orders-events"]);
        assert.deepEqual(await check(topicPolicy(deployed(), topicArn(PHYSICAL.topic, REGION, OTHER_ACCOUNT))), ["orders-events"]);
        assert.deepEqual(await check(topicPolicy(preview(), topicArn("orders-events-from-config", OTHER_REGION), change)), ["orders-events"]);
        // In a first preview the topic's account is not known yet: a literal of another account may still be it.
        assert.deepEqual(await check(topicPolicy(preview(), topicArn("orders-events-from-config", REGION, OTHER_ACCOUNT), change)), []);
    });

    it("does not take a queue of the topic's name for the topic", async () => {
        assert.deepEqual(await check(topicPolicy(preview(), queueArn(PHYSICAL.topic))), ["orders-events"]);
    });
});
