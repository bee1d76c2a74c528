import assert from "node:assert/strict";
import { snsSqsSubscriptionDeliverable as policy } from "../../../policies/sns/sns-sqs-subscription-deliverable";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import {
    add,
    assertRan,
    byName,
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
    snsSendStatement,
    tlsDenyStatement,
    topicArn,
} from "../pipeline-fixtures";

async function check(fixtures: FixtureResource[]): Promise<string[]> {
    const violations = await validateStack(policy, fixtures);
    assertRan(violations);
    return flagged(violations);
}

const QUEUE = queueArn(PHYSICAL.queue);
const TOPIC = topicArn(PHYSICAL.topic);
const deployed = () => pipeline("deployed");
const allow = (overrides: Record<string, unknown> = {}) => ({ ...snsSendStatement(QUEUE, TOPIC), ...overrides });
const withQueuePolicy = (policyValue: unknown, fixtures = deployed()) => change(fixtures, "orders-queue-policy", { policy: policyValue });
const withAllow = (overrides: Record<string, unknown>, fixtures = deployed()) =>
    withQueuePolicy(policyJson(tlsDenyStatement("sqs", QUEUE), allow(overrides)), fixtures);

describe("sns-sqs-subscription-deliverable", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "sns-sqs-subscription-deliverable");
        assert.match(policy.description, /dropped silently/);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes the deployed pipeline: the queue policy lets the topic send", async () => {
            assert.deepEqual(await check(deployed()), []);
        });

        const variants: [string, Record<string, unknown>][] = [
            ["ArnLike with a wildcard", { Condition: { ArnLike: { "aws:SourceArn": `arn:aws:sns:*:${"123456789012"}:orders-events-*` } } }],
            ["StringEquals", { Condition: { StringEquals: { "aws:SourceArn": TOPIC } } }],
            ["the condition key in another case", { Condition: { ArnEquals: { "AWS:SOURCEARN": TOPIC } } }],
            ["a list of topics including this one", { Condition: { ArnEquals: { "aws:SourceArn": [topicArn("other"), TOPIC] } } }],
            ["Principal \"*\" limited by the topic", { Principal: "*" }],
            ["Principal { Service: [\"sns.amazonaws.com\"] }", { Principal: { Service: ["sns.amazonaws.com"] } }],
            ["Action as an array", { Action: ["sqs:SendMessage", "sqs:GetQueueAttributes"] }],
            ["Action sqs:*", { Action: "sqs:*" }],
            ["Resource \"*\"", { Resource: "*" }],
            ["no Resource", { Resource: undefined }],
        ];
        for (const [what, overrides] of variants) {
            it(`passes an allow with ${what}`, async () => {
                assert.deepEqual(await check(withAllow(overrides)), []);
            });
        }

        it("passes an allow written inline in the queue's own policy", async () => {
            const fixtures = change(remove(deployed(), "orders-queue-policy"), "orders-queue", { policy: policyJson(allow()) });
            assert.deepEqual(await check(fixtures), []);
        });

        it("ignores subscriptions over other protocols, and queues in other stacks", async () => {
            assert.deepEqual(await check(change(withQueuePolicy(undefined), "orders-subscription", { protocol: "lambda" })), []);
            assert.deepEqual(await check(literal(withQueuePolicy(undefined), "orders-subscription", { endpoint: queueArn("elsewhere") })), []);
        });
    });

    describe("non-compliance", () => {
        it("flags a subscription whose queue policy does not let SNS send, on the subscription", async () => {
            const violations = await validateStack(policy, withQueuePolicy(policyJson(tlsDenyStatement("sqs", QUEUE))));
            assert.deepEqual(flagged(violations), ["orders-subscription"]);
            assert.match(violations[0].message, /'orders-subscription' delivers to SQS queue 'orders-queue'.*does not allow sns\.amazonaws\.com.*drops every message silently.*"aws:SourceArn"/);
        });

        it("flags a queue without a policy", async () => {
            const violations = await validateStack(policy, remove(deployed(), "orders-queue-policy"));
            assert.match(violations[0].message, /which has no queue policy/);
        });

        it("applies to protocol \"SQS\" in upper case", async () => {
            assert.deepEqual(await check(change(remove(deployed(), "orders-queue-policy"), "orders-subscription", { protocol: "SQS" })), ["orders-subscription"]);
        });

        const variants: [string, Record<string, unknown>][] = [
            ["no aws:SourceArn condition (any topic anywhere could send)", { Condition: undefined }],
            ["another topic's ARN", { Condition: { ArnEquals: { "aws:SourceArn": topicArn("another-topic") } } }],
            ["a bare \"*\" source", { Condition: { ArnLike: { "aws:SourceArn": "*" } } }],
            ["only aws:SourceAccount", { Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }],
            ["an IfExists operator", { Condition: { ArnEqualsIfExists: { "aws:SourceArn": TOPIC } } }],
            ["another service principal", { Principal: { Service: "events.amazonaws.com" } }],
            ["another action", { Action: "sqs:ReceiveMessage" }],
            ["another queue as Resource", { Resource: queueArn("another-queue") }],
            ["a Deny", { Effect: "Deny" }],
        ];
        for (const [what, overrides] of variants) {
            it(`flags an allow with ${what}`, async () => {
                assert.deepEqual(await check(withAllow(overrides)), ["orders-subscription"]);
            });
        }

        it("flags a queue encrypted with the AWS-managed alias/aws/sqs key, which SNS cannot use", async () => {
            const violations = await validateStack(policy, change(deployed(), "orders-queue", { sqsManagedSseEnabled: false, kmsMasterKeyId: "alias/aws/sqs" }));
            assert.deepEqual(flagged(violations), ["orders-subscription"]);
            assert.match(violations[0].message, /alias\/aws\/sqs/);
        });
    });

    describe("unknown values during preview", () => {
        it("passes the preview of a new stack (the queue policy is unknown)", async () => {
            assert.deepEqual(await check(pipeline("preview")), []);
        });

        it("relates subscription, queue and queue policy through propertyDependencies when ARNs are unknown", async () => {
            const withoutAllow = withQueuePolicy(policyJson(tlsDenyStatement("sqs", "*")), pipeline("preview"));
            assert.deepEqual(await check(withoutAllow), ["orders-subscription"]);
        });

        it("accepts any aws:SourceArn limit while the topic's ARN is unknown", async () => {
            const known = policyJson(allow({ Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": topicArn("orders-topic-by-name") } } }));
            assert.deepEqual(await check(withQueuePolicy(known, pipeline("preview"))), []);
        });

        it("passes a subscription whose unknown endpoint depends on no queue", async () => {
            const fixtures = dependencies(withQueuePolicy(undefined, pipeline("preview")), "orders-subscription", { topic: ["orders-events"] });
            assert.deepEqual(await check(fixtures), []);
        });

        it("passes an unknown protocol, and a document with an unknown part", async () => {
            assert.deepEqual(await check(change(withQueuePolicy(undefined), "orders-subscription", { protocol: UNKNOWN })), []);
            assert.deepEqual(await check(withQueuePolicy({ Statement: [allow({ Condition: UNKNOWN })] })), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on the subscription's or queue policy's fields = ${JSON.stringify(value)}`, async () => {
                await check(change(deployed(), "orders-subscription", { topic: value, endpoint: value, protocol: value }));
                await check(change(deployed(), "orders-subscription", { topic: value }));
                await check(withQueuePolicy(value));
                await check(withAllow({ Principal: value, Action: value, Resource: value, Condition: value }));
                await check(change(deployed(), "orders-queue", { kmsMasterKeyId: value, arn: value }));
            });
        }
    });
});

const OTHER_TOPIC = topicArn("other-topic");

describe("sns-sqs-subscription-deliverable: which topic, which statement", () => {
    it("a subscription to a topic outside the stack must be the one the queue policy allows", async () => {
        assert.deepEqual(await check(change(pipeline("deployed"), "orders-subscription", { topic: OTHER_TOPIC })), ["orders-subscription"]);
    });

    it("an unknown topic is read from the topic it depends on, whose ARN is known", async () => {
        const fixtures = change(pipeline("deployed"), "orders-subscription", { topic: UNKNOWN });
        assert.deepEqual(await check(withAllow({ Condition: { ArnEquals: { "aws:SourceArn": OTHER_TOPIC } } }, fixtures)), ["orders-subscription"]);
        assert.deepEqual(await check(fixtures), []);
    });

    it("an unknown topic that depends on two topics may be either: any aws:SourceArn limit passes", async () => {
        let fixtures = add(pipeline("deployed"), { ...byName(pipeline("deployed"), "orders-events"), name: "other-topic", props: { name: "other-topic", arn: OTHER_TOPIC, id: OTHER_TOPIC } });
        fixtures = dependencies(change(fixtures, "orders-subscription", { topic: UNKNOWN }), "orders-subscription", { topic: ["other-topic", "orders-events"], endpoint: ["orders-queue"] });
        assert.deepEqual(await check(fixtures), []);
    });

    it("ARN operators and StringLike match wildcards; StringEquals compares the text", async () => {
        const pattern = topicArn("orders-*");
        for (const operator of ["ArnLike", "ArnEquals", "StringLike"]) {
            assert.deepEqual(await check(withAllow({ Condition: { [operator]: { "aws:SourceArn": pattern } } })), [], operator);
        }
        assert.deepEqual(await check(withAllow({ Condition: { StringEquals: { "aws:SourceArn": pattern } } })), ["orders-subscription"]);
        assert.deepEqual(await check(withAllow({ Condition: { stringEquals: { "aws:SourceArn": TOPIC } } })), []);
    });

    it("SNS among several service principals may send", async () => {
        assert.deepEqual(await check(withAllow({ Principal: { Service: ["events.amazonaws.com", "sns.amazonaws.com"] } })), []);
    });

    it("the queue among several resources is covered; a NotResource naming it is not", async () => {
        assert.deepEqual(await check(withAllow({ Resource: [queueArn("elsewhere"), QUEUE] })), []);
        assert.deepEqual(await check(withAllow({ Resource: undefined, NotResource: QUEUE })), ["orders-subscription"]);
        assert.deepEqual(await check(withAllow({ Resource: undefined, NotResource: queueArn("elsewhere") })), []);
    });
});

describe("sns-sqs-subscription-deliverable: the queue's KMS key", () => {
    for (const key of ["alias/aws/sqs", "ALIAS/AWS/SQS", "arn:aws:kms:eu-west-1:123456789012:alias/aws/sqs"]) {
        it(`${key} is the AWS-managed key SNS cannot use`, async () => {
            assert.deepEqual(await check(change(pipeline("deployed"), "orders-queue", { kmsMasterKeyId: key })), ["orders-subscription"]);
        });
    }

    for (const key of ["alias/orders-queue", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd", "alias/aws/sqs-custom"]) {
        it(`${key} is a customer-managed key`, async () => {
            assert.deepEqual(await check(change(pipeline("deployed"), "orders-queue", { kmsMasterKeyId: key })), []);
        });
    }
});

describe("sns-sqs-subscription-deliverable: the subscribed queue as the program names it, in a first preview and after", () => {
    const preview = () => inRegion(pipeline("preview"), REGION);
    /** A first preview whose queue policy is known and lets no topic send: a subscription related to the queue is flagged. */
    const undeliverable = () => literal(preview(), "orders-queue-policy", { policy: policyJson(tlsDenyStatement("sqs", QUEUE)) });

    it("relates a subscription to its queue by a literal ARN while the queue's own ARN is unknown (first preview)", async () => {
        assert.deepEqual(await check(literal(undeliverable(), "orders-subscription", { endpoint: queueArn(PHYSICAL.queue) })), ["orders-subscription"]);
        const deliverable = literal(preview(), "orders-queue-policy", { policy: policyJson(tlsDenyStatement("sqs", QUEUE), allow()) });
        assert.deepEqual(await check(literal(deliverable, "orders-subscription", { endpoint: queueArn(PHYSICAL.queue), topic: TOPIC })), []);
    });

    it("relates it through the endpoint's dependencies when the literal names no queue here", async () => {
        assert.deepEqual(await check(change(undeliverable(), "orders-subscription", { endpoint: queueArn("orders-queue-from-config") })), ["orders-subscription"]);
    });

    it("does not relate it to the queue of the same name in another region or account, nor through dependencies then", async () => {
        assert.deepEqual(await check(literal(undeliverable(), "orders-subscription", { endpoint: queueArn(PHYSICAL.queue, OTHER_REGION) })), []);
        assert.deepEqual(await check(change(undeliverable(), "orders-subscription", { endpoint: queueArn("orders-queue-from-config", OTHER_REGION) })), []);
        const deployedWithoutGrant = withQueuePolicy(policyJson(tlsDenyStatement("sqs", QUEUE)));
        assert.deepEqual(await check(literal(deployedWithoutGrant, "orders-subscription", { endpoint: queueArn(PHYSICAL.queue, REGION, OTHER_ACCOUNT) })), []);
    });

    it("does not take a topic of the queue's name for the queue", async () => {
        assert.deepEqual(await check(literal(undeliverable(), "orders-subscription", { endpoint: topicArn(PHYSICAL.queue) })), []);
    });
});
