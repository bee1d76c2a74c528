/**
 * An SQS event source mapping as Lambda runs one: it long-polls the queue, gathers up to
 * `batchSize` messages within the batching window, invokes the function with them as an SQS
 * event, and then deletes what succeeded. With `ReportBatchItemFailures` the records the function
 * lists in `batchItemFailures` stay on the queue (they come back after the visibility timeout, and
 * after `maxReceiveCount` receives the queue moves them to its dead-letter queue); a response
 * Lambda would reject, or an error, leaves the whole batch. One poller and one execution
 * environment per function: Lambda's scaling (up to `maximumConcurrency`) is not modelled.
 */
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { InvokeResult } from "./lambda-environment";
import type { RunRecorder } from "./recorder";
import type { LambdaConsumerSpec } from "./topology";

/** What the mapping invokes: a `LambdaEnvironment`, or a handler in this process (the consumer specs). */
export interface Invoker {
    invoke(event: SQSEvent, deadline: number): Promise<InvokeResult>;
}

export interface EventSourceMappingOptions {
    consumer: LambdaConsumerSpec;
    queueUrl: string;
    queueArn: string;
    region: string;
    sqs: SQSClient;
    environment: Invoker;
    /** The function timeout, scaled: the handler's remaining time starts from it. */
    functionTimeoutMs: number;
    batchingWindowMs: number;
    recorder: RunRecorder;
}

const MAX_RECEIVE = 10;
const LONG_POLL_SECONDS = 20;
const POLL_PAUSE_MS = 20;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function sqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
        messageId: message.MessageId ?? "",
        receiptHandle: message.ReceiptHandle ?? "",
        body: message.Body ?? "",
        attributes: {
            ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
            SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
            SenderId: attributes.SenderId ?? "",
            ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes: Object.fromEntries(
            Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
                name,
                { dataType: value.DataType ?? "String", stringValue: value.StringValue, stringListValues: [], binaryListValues: [] },
            ]),
        ),
        md5OfBody: message.MD5OfBody ?? "",
        eventSource: "aws:sqs",
        eventSourceARN: queueArn,
        awsRegion: region,
    };
}

/**
 * The message ids to keep on the queue, from the function's response, as Lambda reads it: an
 * empty or absent response means all succeeded; a malformed one, or an identifier that is not
 * in the batch, fails the whole batch.
 */
export function failedMessageIds(response: unknown, batch: readonly SQSRecord[]): { failed: Set<string>; malformed?: string } {
    const all = new Set(batch.map((r) => r.messageId));
    if (response === null || response === undefined) {
        return { failed: new Set() };
    }
    const failures = (response as Partial<SQSBatchResponse>).batchItemFailures;
    if (failures === undefined || (Array.isArray(failures) && failures.length === 0)) {
        return { failed: new Set() };
    }
    if (!Array.isArray(failures)) {
        return { failed: all, malformed: "batchItemFailures is not a list" };
    }
    const failed = new Set<string>();
    for (const failure of failures) {
        const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
        if (typeof id !== "string" || !all.has(id)) {
            return { failed: all, malformed: `itemIdentifier ${JSON.stringify(id)} is not a message of the batch` };
        }
        failed.add(id);
    }
    return { failed };
}

export class EventSourceMapping {
    readonly #options: EventSourceMappingOptions;
    readonly #stop = new AbortController();
    #loop: Promise<void> | undefined;

    constructor(options: EventSourceMappingOptions) {
        this.#options = options;
    }

    start(): void {
        this.#loop ??= this.#run();
    }

    /** Stops polling; resolves once the invocation in progress, if any, has finished and been acknowledged. */
    async stop(): Promise<void> {
        this.#stop.abort();
        await this.#loop;
    }

    async #run(): Promise<void> {
        while (!this.#stop.signal.aborted) {
            try {
                const batch = await this.#collect();
                if (batch.length > 0) {
                    await this.#invoke(batch);
                }
            } catch (error) {
                // As Lambda's pollers do: note it and keep polling.
                this.#options.recorder.errors.push(`${this.#options.consumer.name}: event source mapping: ${(error as Error).message}`);
                await pause(200);
            }
        }
    }

    async #receive(max: number, waitSeconds: number): Promise<Message[]> {
        try {
            const output = await this.#options.sqs.send(
                new ReceiveMessageCommand({
                    QueueUrl: this.#options.queueUrl,
                    MaxNumberOfMessages: Math.min(MAX_RECEIVE, max),
                    WaitTimeSeconds: waitSeconds,
                    MessageSystemAttributeNames: ["All"],
                    MessageAttributeNames: ["All"],
                }),
                { abortSignal: this.#stop.signal },
            );
            return output.Messages ?? [];
        } catch (error) {
            if (this.#stop.signal.aborted) {
                return [];
            }
            throw error;
        }
    }

    /** A batch: what the first long poll returns, topped up until the batch is full or the window has passed. */
    async #collect(): Promise<Message[]> {
        const { batchSize } = this.#options.consumer;
        const batch = await this.#receive(batchSize, LONG_POLL_SECONDS);
        if (batch.length === 0) {
            return batch;
        }
        const windowEnds = Date.now() + this.#options.batchingWindowMs;
        while (batch.length < batchSize && Date.now() < windowEnds && !this.#stop.signal.aborted) {
            const more = await this.#receive(batchSize - batch.length, 0);
            batch.push(...more);
            if (more.length === 0) {
                await pause(Math.min(POLL_PAUSE_MS, Math.max(0, windowEnds - Date.now())));
            }
        }
        return batch;
    }

    async #invoke(messages: Message[]): Promise<void> {
        const { consumer, queueArn, region, environment, functionTimeoutMs, recorder } = this.#options;
        const records = messages.map((m) => sqsRecord(m, queueArn, region));
        const event: SQSEvent = { Records: records };
        const started = Date.now();
        const result = await environment.invoke(event, started + functionTimeoutMs);
        const durationMs = Date.now() - started;

        let failed: Set<string>;
        let error: string | undefined;
        if (result.error !== undefined) {
            failed = new Set(records.map((r) => r.messageId));
            error = `${result.error.name}: ${result.error.message}`;
        } else if (consumer.reportBatchItemFailures) {
            const read = failedMessageIds(result.response, records);
            failed = read.failed;
            error = read.malformed === undefined ? undefined : `invalid partial batch response (${read.malformed}): the whole batch is retried`;
        } else {
            failed = new Set();
        }
        recorder.invocations.push({
            consumer: consumer.name,
            records: records.length,
            failures: failed.size,
            durationMs,
            ...(error !== undefined && { error }),
            ...(durationMs > functionTimeoutMs && { overran: true }),
        });
        await this.#delete(records.filter((r) => !failed.has(r.messageId)));
    }

    async #delete(records: SQSRecord[]): Promise<void> {
        for (let i = 0; i < records.length; i += MAX_RECEIVE) {
            const entries = records.slice(i, i + MAX_RECEIVE).map((r, index) => ({ Id: `r${index}`, ReceiptHandle: r.receiptHandle }));
            await this.#options.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.#options.queueUrl, Entries: entries }));
        }
    }
}
