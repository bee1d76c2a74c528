import assert from "node:assert/strict";
import { physicalName, ProgramRun } from "../../tools/mock-runtime";
import { one, runFixture, statementsOf, TYPES } from "../support/recorded";

describe("components/event-topic: EventTopic", () => {
    let run: ProgramRun;
    let protectedRun: ProgramRun;

    before(async () => {
        run = await runFixture("event-topic");
        protectedRun = await runFixture("event-topic", { protect: true, kmsMasterKeyId: "alias/events-cmk" });
    });

    it("registers under its own type token with a topic and a topic policy as children", () => {
        const component = one(run, TYPES.eventTopic, "events");
        const topic = one(run, TYPES.topic, "events");
        const policy = one(run, TYPES.topicPolicy, "events-policy");
        assert.equal(topic.parent, component.urn);
        assert.equal(policy.parent, component.urn);
    });

    it("encrypts the topic with the AWS-managed SNS key by default, and with the key it is given", () => {
        assert.equal(one(run, TYPES.topic).inputs.kmsMasterKeyId, "alias/aws/sns");
        assert.equal(one(protectedRun, TYPES.topic).inputs.kmsMasterKeyId, "alias/events-cmk");
    });

    it("denies every principal any request without TLS on the topic", () => {
        const topicArn = one(run, TYPES.topic).outputs.arn;
        const policy = one(run, TYPES.topicPolicy);
        assert.equal(policy.inputs.arn, topicArn);
        const [deny, ...others] = statementsOf(policy.inputs.policy);
        assert.deepEqual(others, []);
        assert.deepEqual(deny, {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("protects the topic only when asked, and never its policy", () => {
        assert.equal(one(run, TYPES.topic).protect, false);
        assert.equal(one(protectedRun, TYPES.topic).protect, true);
        assert.equal(one(protectedRun, TYPES.topicPolicy).protect, false);
    });

    it("leaves the topic auto-named and exports its ARN and generated name", () => {
        const topic = one(run, TYPES.topic);
        // The harness fills in the generated name only where the program set none.
        assert.equal(topic.inputs.name, physicalName(TYPES.topic, "events"));
        assert.equal(run.outputs.topicArn, topic.outputs.arn);
        assert.equal(run.outputs.topicName, topic.inputs.name);
    });
});
