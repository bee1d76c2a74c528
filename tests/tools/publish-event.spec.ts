import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { strict as assert } from "node:assert";
import { parseCloudEvent } from "../../consumers/shared/cloudevent";
import {
    buildCloudEvent,
    parsePublishArgs,
    publishEvent,
    regionOfTopic,
    type RunCommand,
    stackTopicArn,
    UsageError,
} from "../../tools/publish-event";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:events-3f2a1b0";

describe("publish-event", () => {
    it("parses the documented command line", () => {
        const args = parsePublishArgs(["--stack", "dev", "--type", "order.created", "--data", '{"orderId":"42"}']);
        assert.deepEqual(args, {
            stack: "dev",
            topicArn: undefined,
            type: "order.created",
            data: { orderId: "42" },
            source: "urn:event-pipeline:publish-event",
            id: undefined,
            subject: undefined,
        });
    });

    it("names every problem with the arguments at once", () => {
        assert.throws(
            () => parsePublishArgs(["--data", "{oops"]),
            (error: unknown) =>
                error instanceof UsageError &&
                /--stack/.test(error.message) &&
                /--type/.test(error.message) &&
                /--data is not JSON/.test(error.message),
        );
        assert.throws(() => parsePublishArgs(["--stack", "dev", "--type", "t", "--colour", "red"]), UsageError);
    });

    it("builds a CloudEvent the consumers accept", () => {
        const event = buildCloudEvent(
            { stack: "dev", type: "order.created", data: { orderId: "42" }, source: "urn:test" },
            new Date("2026-11-26T10:00:00Z"),
        );
        assert.equal(event.specversion, "1.0");
        assert.match(event.id, /^[0-9a-f-]{36}$/);
        assert.equal(event.time, "2026-11-26T10:00:00.000Z");
        assert.deepEqual(parseCloudEvent(JSON.stringify(event)), event);
    });

    it("reads the topic ARN from the stack's outputs", async () => {
        const calls: string[][] = [];
        const run: RunCommand = async (file, args) => {
            calls.push([file, ...args]);
            return { stdout: `${TOPIC_ARN}\n`, stderr: "" };
        };
        assert.equal(await stackTopicArn("dev", run), TOPIC_ARN);
        assert.deepEqual(calls, [["pulumi", "stack", "output", "topicArn", "--stack", "dev"]]);
    });

    it("says clearly when the Pulumi CLI is missing, or the output is not an ARN", async () => {
        const missing: RunCommand = async () => {
            throw Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
        };
        await assert.rejects(stackTopicArn("dev", missing), /Pulumi CLI .* not on PATH.*--topic-arn/);
        const failing: RunCommand = async () => {
            throw Object.assign(new Error("exit 255"), { code: 255, stderr: "error: no stack named 'dev' found\n" });
        };
        await assert.rejects(stackTopicArn("dev", failing), /no stack named 'dev' found/);
        const noOutput: RunCommand = async () => ({ stdout: "\n", stderr: "" });
        await assert.rejects(stackTopicArn("dev", noOutput), /Not an SNS topic ARN/);
    });

    it("publishes the event to the topic in the topic's region, with filterable attributes", async () => {
        assert.equal(regionOfTopic(TOPIC_ARN), "eu-west-1");
        const sns = new SNSClient({ region: regionOfTopic(TOPIC_ARN) });
        const mock = mockClient(sns);
        mock.on(PublishCommand).resolves({ MessageId: "sns-1" });
        try {
            const event = buildCloudEvent({ type: "order.created", data: { orderId: "42" }, source: "urn:test" });

            assert.equal(await publishEvent(sns, TOPIC_ARN, event), "sns-1");

            const input = mock.commandCalls(PublishCommand)[0].args[0].input;
            assert.equal(input.TopicArn, TOPIC_ARN);
            assert.deepEqual(JSON.parse(input.Message as string), event);
            assert.deepEqual(input.MessageAttributes?.type, { DataType: "String", StringValue: "order.created" });
        } finally {
            mock.restore();
        }
    });
});
