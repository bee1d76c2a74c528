/**
 * Creates on the emulators, through the AWS API, what the recorded program declares: the event
 * topic, every queue with its attributes (dead-letter queues first, as the engine orders them by
 * dependency), every SQS subscription with its attributes, and the idempotency table. The ARNs
 * the program wired together (a redrive policy's target, a subscription's endpoint) are the mock
 * account's; each is replaced by the ARN the emulator gave the same resource.
 */
import { CreateTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { QueueSpec, TableSpec, Topology } from "./topology";

export interface LocalQueue {
    spec: QueueSpec;
    url: string;
    arn: string;
}

export interface Provisioned {
    /** Recorded topic ARN → the emulator's. */
    topicArns: Map<string, string>;
    /** By recorded ARN. */
    queues: Map<string, LocalQueue>;
    /** What a table declares that the emulator cannot hold, and how the run stands in for it. */
    tableNotes: string[];
}

export interface ProvisionClients {
    sqs: SQSClient;
    sns: SNSClient;
    dynamoDb: DynamoDBClient;
}

function rewriteArns(value: string, arns: Map<string, string>): string {
    let result = value;
    // Longest first, so that an ARN that prefixes another is not replaced inside it.
    for (const [recorded, local] of [...arns].sort(([a], [b]) => b.length - a.length)) {
        result = result.split(recorded).join(local);
    }
    return result;
}

function rewriteAll(attributes: Record<string, string>, arns: Map<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, rewriteArns(value, arns)]));
}

/** Redrive targets before the queues that name them. */
function creationOrder(queues: QueueSpec[]): QueueSpec[] {
    const targets = new Set(queues.map((q) => q.redrive?.deadLetterTargetArn).filter((arn): arn is string => arn !== undefined));
    return [...queues.filter((q) => targets.has(q.arn)), ...queues.filter((q) => !targets.has(q.arn))];
}

async function createTable(dynamoDb: DynamoDBClient, table: TableSpec): Promise<string[]> {
    const payPerRequest = table.billingMode === "PAY_PER_REQUEST";
    await dynamoDb.send(
        new CreateTableCommand({
            TableName: table.name,
            KeySchema: [
                { AttributeName: table.hashKey, KeyType: "HASH" },
                ...(table.rangeKey ? [{ AttributeName: table.rangeKey, KeyType: "RANGE" as const }] : []),
            ],
            AttributeDefinitions: table.attributeDefinitions.map((a) => ({ AttributeName: a.name, AttributeType: a.type as "S" | "N" | "B" })),
            BillingMode: payPerRequest ? "PAY_PER_REQUEST" : "PROVISIONED",
            ...(!payPerRequest && { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
            SSESpecification: { Enabled: table.serverSideEncryption },
            DeletionProtectionEnabled: table.deletionProtection,
        }),
    );
    if (table.ttl?.enabled !== true) {
        return [];
    }
    try {
        await dynamoDb.send(new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: { AttributeName: table.ttl.attributeName, Enabled: true } }));
        return [];
    } catch (error) {
        if ((error as Error).name !== "UnknownOperationException") {
            throw error;
        }
        return [
            `${table.name}: TTL on "${table.ttl.attributeName}" is declared, but dynalite has no UpdateTimeToLive; ` +
                `the run checks instead that every record the consumers write carries "${table.ttl.attributeName}" in epoch seconds, as DynamoDB's TTL needs to delete it.`,
        ];
    }
}

export async function provision(topology: Topology, clients: ProvisionClients): Promise<Provisioned> {
    const arns = new Map<string, string>();
    const topicArns = new Map<string, string>();
    for (const topic of topology.topics) {
        const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: topic.name, Attributes: rewriteAll(topic.attributes, arns) }));
        topicArns.set(topic.arn, TopicArn as string);
        arns.set(topic.arn, TopicArn as string);
    }

    const queues = new Map<string, LocalQueue>();
    for (const spec of creationOrder(topology.queues)) {
        const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: spec.name, Attributes: rewriteAll(spec.attributes, arns) }));
        const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
        const local = { spec, url: QueueUrl as string, arn: Attributes?.QueueArn as string };
        queues.set(spec.arn, local);
        arns.set(spec.arn, local.arn);
    }

    for (const subscription of topology.subscriptions) {
        const topicArn = topicArns.get(subscription.topicArn);
        if (subscription.protocol !== "sqs" || topicArn === undefined) {
            continue; // e-mail and other protocols carry no events
        }
        await clients.sns.send(
            new SubscribeCommand({
                TopicArn: topicArn,
                Protocol: "sqs",
                Endpoint: rewriteArns(subscription.endpoint, arns),
                Attributes: rewriteAll(subscription.attributes, arns),
                ReturnSubscriptionArn: true,
            }),
        );
    }

    const tableNotes: string[] = [];
    for (const table of topology.tables) {
        tableNotes.push(...(await createTable(clients.dynamoDb, table)));
    }
    return { topicArns, queues, tableNotes };
}
