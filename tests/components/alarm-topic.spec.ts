import assert from "node:assert/strict";
import { MOCK_ACCOUNT_ID, ProgramRun } from "../../tools/mock-runtime";
import { childrenOf, ofType, one, runFixture, statement, statementsOf, TYPES } from "../support/recorded";

describe("components/alarm-topic: AlarmTopic", () => {
    let run: ProgramRun;
    let withEmails: ProgramRun;

    before(async () => {
        run = await runFixture("alarm-topic");
        withEmails = await runFixture("alarm-topic", { emails: ["oncall@example.com", "team@example.com"] });
    });

    it("encrypts the topic with its own customer-managed key (CloudWatch cannot use alias/aws/sns)", () => {
        const key = one(run, TYPES.kmsKey, "alarms-key");
        const topic = one(run, TYPES.topic, "alarms");
        assert.equal(topic.inputs.kmsMasterKeyId, key.outputs.arn);
        assert.notEqual(topic.inputs.kmsMasterKeyId, "alias/aws/sns");
        assert.equal(key.inputs.enableKeyRotation, true);
    });

    it("lets cloudwatch.amazonaws.com use the key, for this account only, and the account administer it", () => {
        const statements = statementsOf(one(run, TYPES.kmsKey).inputs.policy);
        const cloudWatch = statement(statements, "CloudWatchAlarmsEncrypt");
        assert.equal(cloudWatch.Effect, "Allow");
        assert.deepEqual(cloudWatch.Principal, { Service: "cloudwatch.amazonaws.com" });
        assert.deepEqual(cloudWatch.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
        assert.deepEqual(cloudWatch.Condition, { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
        const account = statement(statements, "AccountAdministersKey");
        assert.deepEqual(account.Principal, { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` });
        assert.equal(statements.length, 2);
    });

    it("lets CloudWatch of this account publish, and denies requests without TLS", () => {
        const topicArn = one(run, TYPES.topic).outputs.arn;
        const policy = one(run, TYPES.topicPolicy, "alarms-policy");
        assert.equal(policy.inputs.arn, topicArn);
        const statements = statementsOf(policy.inputs.policy);
        assert.deepEqual(statement(statements, "CloudWatchAlarmsPublish"), {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        });
        const deny = statement(statements, "DenyInsecureTransport");
        assert.equal(deny.Effect, "Deny");
        assert.equal(deny.Principal, "*");
        assert.equal(deny.Resource, topicArn);
        assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    });

    it("subscribes each alarm e-mail address to the topic, and none when there are none", () => {
        assert.deepEqual(ofType(run, TYPES.subscription), []);
        const topicArn = one(withEmails, TYPES.topic).outputs.arn;
        const subscriptions = ofType(withEmails, TYPES.subscription);
        assert.deepEqual(
            subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]),
            [
                ["email", "oncall@example.com", topicArn],
                ["email", "team@example.com", topicArn],
            ],
        );
    });

    it("keeps every child under the component and exports the topic and key ARNs", () => {
        const component = one(withEmails, TYPES.alarmTopic, "alarms");
        assert.equal(childrenOf(withEmails, component).length, 5);
        assert.equal(withEmails.outputs.topicArn, one(withEmails, TYPES.topic).outputs.arn);
        assert.equal(withEmails.outputs.keyArn, one(withEmails, TYPES.kmsKey).outputs.arn);
    });
});
