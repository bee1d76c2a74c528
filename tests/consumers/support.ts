/**
 * Fixtures shared by the consumer and worker specs: CloudEvents, SQS/SNS shapes, an in-memory
 * idempotency table behind aws-sdk-client-mock, and a capture of what goes to stdout/stderr.
 */
import {
    type AttributeValue,
    ConditionalCheckFailedException,
    DeleteItemCommand,
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import type { CloudEvent } from "../../consumers/shared/cloudevent";

export const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:events";

let eventCounter = 0;

export function cloudEvent(overrides: Partial<CloudEvent> = {}): CloudEvent {
    eventCounter += 1;
    return {
        specversion: "1.0",
        id: `evt-${eventCounter}`,
        source: "/orders/api",
        type: "order.created",
        time: new Date().toISOString(),
        datacontenttype: "application/json",
        data: { orderId: `order-${eventCounter}` },
        ...overrides,
    };
}

/** The body SNS delivers to SQS when raw message delivery is off. */
export function snsEnvelope(event: unknown): string {
    return JSON.stringify({
        Type: "Notification",
        MessageId: "0b1c3d4e-5f60-4718-a9b0-c1d2e3f40516",
        TopicArn: TOPIC_ARN,
        Message: typeof event === "string" ? event : JSON.stringify(event),
        Timestamp: new Date().toISOString(),
        SignatureVersion: "1",
        Signature: "EXAMPLE",
        SigningCertURL: "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-example.pem",
        UnsubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
    });
}

export function sqsRecord(body: string, messageId: string): SQSRecord {
    return {
        messageId,
        receiptHandle: `receipt-${messageId}`,
        body,
        attributes: {
            ApproximateReceiveCount: "1",
            SentTimestamp: String(Date.now() - 1_000),
            SenderId: "AIDAEXAMPLE",
            ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders",
        awsRegion: "eu-west-1",
    };
}

export function sqsEvent(...bodies: string[]): SQSEvent {
    return { Records: bodies.map((body, index) => sqsRecord(body, `msg-${index + 1}`)) };
}

export function lambdaContext(): Context {
    return {
        callbackWaitsForEmptyEventLoop: true,
        functionName: "orders-consumer-1a2b3c",
        functionVersion: "$LATEST",
        invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders-consumer-1a2b3c",
        memoryLimitInMB: "256",
        awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
        logGroupName: "/aws/lambda/orders-consumer-1a2b3c",
        logStreamName: "2026/11/26/[$LATEST]abcdef",
        getRemainingTimeInMillis: () => 30_000,
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
    };
}

type Item = Record<string, AttributeValue>;

/**
 * The idempotency table as DynamoDB would behave for Powertools' calls: the conditional put
 * (new key, expired record, or lapsed in-progress claim), consistent get, update and delete.
 */
export class FakeIdempotencyTable {
    readonly client = new DynamoDBClient({ region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
    readonly mock = mockClient(this.client);
    readonly items = new Map<string, Item>();

    constructor() {
        this.mock.on(PutItemCommand).callsFake((input: { Item: Item }) => {
            const key = input.Item.id.S as string;
            const existing = this.items.get(key);
            if (existing !== undefined && !this.#claimable(existing)) {
                throw new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {}, Item: existing });
            }
            this.items.set(key, { ...input.Item });
            return {};
        });
        this.mock.on(GetItemCommand).callsFake((input: { Key: Item }) => ({ Item: this.items.get(input.Key.id.S as string) }));
        this.mock.on(UpdateItemCommand).callsFake(
            (input: {
                Key: Item;
                UpdateExpression: string;
                ExpressionAttributeNames: Record<string, string>;
                ExpressionAttributeValues: Item;
            }) => {
                const key = input.Key.id.S as string;
                const item: Item = { ...(this.items.get(key) ?? input.Key) };
                for (const assignment of input.UpdateExpression.replace(/^SET\s+/, "").split(",")) {
                    const [name, value] = assignment.split("=").map((part) => part.trim());
                    item[input.ExpressionAttributeNames[name]] = input.ExpressionAttributeValues[value];
                }
                this.items.set(key, item);
                return {};
            },
        );
        this.mock.on(DeleteItemCommand).callsFake((input: { Key: Item }) => {
            this.items.delete(input.Key.id.S as string);
            return {};
        });
    }

    statusOf(key: string): string | undefined {
        return this.items.get(key)?.status?.S;
    }

    restore(): void {
        this.mock.restore();
    }

    #claimable(item: Item): boolean {
        const now = Date.now();
        if (Number(item.expiration?.N) < now / 1_000) {
            return true;
        }
        const inProgressExpiry = item.in_progress_expiration?.N;
        return item.status?.S === "INPROGRESS" && inProgressExpiry !== undefined && Number(inProgressExpiry) < now;
    }
}

export interface Captured<T> {
    result: T;
    stdout: string[];
    stderr: string[];
}

let restoreOutput: (() => void) | undefined;

/**
 * Puts stdout/stderr back if a capture never ended (a test that timed out inside it); call it
 * from `afterEach`, or the test report itself would be captured.
 */
export function releaseOutput(): void {
    restoreOutput?.();
}

/**
 * Runs `fn` while collecting what is written to stdout and stderr, line by line. Powertools'
 * Logger and Metrics write through their own Console on process.stdout/stderr, which looks up
 * `write` on each call, so replacing it catches their output (and keeps the test report clean).
 */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<Captured<T>> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const originalStdout = process.stdout.write;
    const originalStderr = process.stderr.write;
    restoreOutput = () => {
        process.stdout.write = originalStdout;
        process.stderr.write = originalStderr;
        restoreOutput = undefined;
    };
    const collector = (lines: string[]) =>
        ((chunk: string | Uint8Array, ...rest: unknown[]) => {
            lines.push(...String(chunk).split("\n").filter((line) => line.length > 0));
            const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
            callback?.();
            return true;
        }) as typeof process.stdout.write;
    process.stdout.write = collector(stdout);
    process.stderr.write = collector(stderr);
    try {
        const result = await fn();
        return { result, stdout, stderr };
    } finally {
        releaseOutput();
    }
}

/** Every line parsed as JSON; fails the test on a line that is not (logs must be structured). */
export function jsonLines(lines: string[]): Record<string, unknown>[] {
    return lines.map((line) => {
        try {
            return JSON.parse(line) as Record<string, unknown>;
        } catch {
            throw new Error(`Not a JSON line: ${line}`);
        }
    });
}

interface EmfBlob {
    _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
    [key: string]: unknown;
}

export function emfBlobs(lines: string[]): EmfBlob[] {
    return jsonLines(lines).filter((line): line is EmfBlob => typeof line._aws === "object" && line._aws !== null);
}

/** The sum of a metric over every EMF blob (a value is a number or an array of numbers). */
export function metricSum(lines: string[], name: string): number {
    return emfBlobs(lines)
        .map((blob) => blob[name])
        .flat()
        .reduce<number>((sum, value) => sum + (typeof value === "number" ? value : 0), 0);
}
