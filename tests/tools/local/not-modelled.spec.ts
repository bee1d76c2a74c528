/**
 * The claims of tools/local/not-modelled.ts about what the emulators store without acting on,
 * checked against the emulators themselves (one fauxqs and one dynalite for the file). If an
 * emulator upgrade starts acting on one of them, its case fails until the list is corrected.
 * (fauxqs keeping messages past MessageRetentionPeriod was checked once by hand: SQS's minimum
 * retention is 60 s, too long for the suite.)
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, PublishCommand, type SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { type Emulators, startEmulators } from "../../../tools/local/emulators";
import { NOT_MODELLED } from "../../../tools/local/not-modelled";

describe("tools/local/not-modelled: what the emulators store without acting on", () => {
    let emulators: Emulators;
    let sqs: SQSClient;
    let sns: SNSClient;
    let dynamoDb: DynamoDBClient;
    let topicArn: string;
    let counter = 0;

    before(async () => {
        emulators = await startEmulators("eu-west-1");
        sqs = emulators.sqs();
        sns = emulators.sns();
        dynamoDb = emulators.dynamoDb();
        topicArn = (await sns.send(new CreateTopicCommand({ Name: "events" }))).TopicArn as string;
    });
    after(() => emulators.stop());

    async function queue(attributes: Record<string, string> = {}) {
        counter += 1;
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `q${counter}`, Attributes: attributes }));
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
        return { url: QueueUrl as string, arn: Attributes?.QueueArn as string, attributes: Attributes ?? {} };
    }
    async function depth(url: string): Promise<number> {
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }));
        return Number(Attributes?.ApproximateNumberOfMessages);
    }
    async function subscribe(endpoint: string, attributes: Record<string, string>) {
        await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: endpoint, Attributes: attributes }));
    }
    const claim = (pattern: RegExp) => assert.ok(NOT_MODELLED.some((line) => pattern.test(line)), `no line of NOT_MODELLED says ${pattern}`);

    it("fauxqs drops a message SNS cannot deliver instead of moving it to the subscription's dead-letter queue", async () => {
        const target = await queue();
        const deadLetters = await queue();
        await subscribe(target.arn, { RawMessageDelivery: "true", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn }) });
        await sqs.send(new DeleteQueueCommand({ QueueUrl: target.url }));
        await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "undeliverable" }));
        assert.equal(await depth(deadLetters.url), 0);
        claim(/subscription's RedrivePolicy without acting on it/);
    });

    it("fauxqs delivers to a queue whose policy denies everyone", async () => {
        const denied = await queue({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*" }] }) });
        await subscribe(denied.arn, { RawMessageDelivery: "true" });
        await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "anyone may write" }));
        assert.equal(await depth(denied.url), 1);
        claim(/policies the program declares are stored, not enforced/);
    });

    it("fauxqs accepts SqsManagedSseEnabled and does not store it", async () => {
        const encrypted = await queue({ SqsManagedSseEnabled: "true" });
        assert.equal(encrypted.attributes.SqsManagedSseEnabled, undefined);
        claim(/SqsManagedSseEnabled is accepted and not stored/);
    });

    it("fauxqs matches MessageBody filters on nested keys but not on array elements nor with equals-ignore-case", async () => {
        const body = JSON.stringify({ type: "order.created", data: { kind: "big", tags: ["red", "blue"] } });
        const cases: [Record<string, unknown>, number][] = [
            [{ data: { kind: ["big"] } }, 1],
            [{ data: { tags: ["red"] } }, 0],
            [{ type: [{ "equals-ignore-case": "ORDER.CREATED" }] }, 0],
            [{ type: [{ wildcard: "order.*" }] }, 0],
        ];
        const queues = [];
        for (const [policy] of cases) {
            const q = await queue();
            await subscribe(q.arn, { FilterPolicy: JSON.stringify(policy), FilterPolicyScope: "MessageBody", RawMessageDelivery: "true" });
            queues.push(q);
        }
        await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body }));
        assert.deepEqual(await Promise.all(queues.map((q) => depth(q.url))), cases.map(([, expected]) => expected));
        claim(/not on the elements of an array in the body, and the operators equals-ignore-case, wildcard and cidr match nothing/);
    });

    it("fauxqs accepts a filter policy that is not JSON, and then delivers every message", async () => {
        const q = await queue();
        await subscribe(q.arn, { FilterPolicy: "not json", FilterPolicyScope: "MessageBody" });
        await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ type: "anything" }) }));
        assert.equal(await depth(q.url), 1);
        claim(/an invalid filter policy is accepted \(AWS refuses it\) and delivers every message/);
    });

    it("dynalite knows no UpdateTimeToLive, and accepts server-side encryption and deletion protection without storing them", async () => {
        await dynamoDb.send(
            new CreateTableCommand({
                TableName: "idempotency",
                BillingMode: "PAY_PER_REQUEST",
                KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
                AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
                SSESpecification: { Enabled: true },
                DeletionProtectionEnabled: true,
            }),
        );
        await assert.rejects(
            dynamoDb.send(new UpdateTimeToLiveCommand({ TableName: "idempotency", TimeToLiveSpecification: { AttributeName: "expiration", Enabled: true } })),
            { name: "UnknownOperationException" },
        );
        const { Table } = await dynamoDb.send(new DescribeTableCommand({ TableName: "idempotency" }));
        assert.equal(Table?.SSEDescription, undefined);
        assert.equal(Table?.DeletionProtectionEnabled, undefined);
        claim(/dynalite has no TTL \(UpdateTimeToLive is unknown to it\)/);
        claim(/server-side encryption and deletion protection are accepted and not stored/);
    });

    it("names IAM, KMS, throttling and Lambda scaling, as the issue asks", () => {
        for (const topic of [/^IAM:/, /^KMS:/, /^Throttling/, /^Lambda scaling:/]) {
            claim(topic);
        }
    });
});
