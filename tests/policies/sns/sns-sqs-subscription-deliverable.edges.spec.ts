import assert from "node:assert/strict";
import { snsSqsSubscriptionDeliverable as policy } from "../../../policies/sns/sns-sqs-subscription-deliverable";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import { add, assertRan, byName, change, dependencies, flagged, PHYSICAL, pipeline, policyJson, queueArn, snsSendStatement, tlsDenyStatement, topicArn } from "../pipeline-fixtures";

async function check(fixtures: FixtureResource[]): Promise<string[]> {
    const violations = await validateStack(policy, fixtures);
    assertRan(violations);
    return flagged(violations);
}

const QUEUE = queueArn(PHYSICAL.queue);
const TOPIC = topicArn(PHYSICAL.topic);
const OTHER_TOPIC = topicArn("other-topic");
const allow = (overrides: Record<string, unknown> = {}) => ({ ...snsSendStatement(QUEUE, TOPIC), ...overrides });
const withAllow = (overrides: Record<string, unknown>, fixtures = pipeline("deployed")) =>
    change(fixtures, "orders-queue-policy", { policy: policyJson(tlsDenyStatement("sqs", QUEUE), allow(overrides)) });

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
        let fixtures = add(pipeline("deployed"), { ...byName(pipeline("deployed"), "orders-topic"), name: "other-topic", props: { name: "other-topic", arn: OTHER_TOPIC, id: OTHER_TOPIC } });
        fixtures = dependencies(change(fixtures, "orders-subscription", { topic: UNKNOWN }), "orders-subscription", { topic: ["other-topic", "orders-topic"], endpoint: ["orders-queue"] });
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
