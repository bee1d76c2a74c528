/**
 * Everything the run observes, as it happens: each message a consumer received (seen in the
 * ReceiveMessage responses of the consumer's own SQS client), each message it deleted, and what
 * its logs say it did with each delivery. The trace and the verdict are computed from this.
 */
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import { classifyLogLine, type ConsumerLogEntry } from "./consumer-logs";

export interface Delivery {
    consumer: string;
    messageId: string;
    body: string;
    /** SQS's ApproximateReceiveCount at this receive. */
    receiveCount: number;
    at: number;
}

export interface Invocation {
    consumer: string;
    records: number;
    failures: number;
    durationMs: number;
    /** The handler threw or answered with something Lambda would reject: no record was deleted. */
    error?: string;
    /** Longer than the (scaled) function timeout: Lambda would have stopped it. */
    overran?: boolean;
}

export class RunRecorder {
    readonly deliveries: Delivery[] = [];
    readonly deleted: { consumer: string; messageId: string }[] = [];
    readonly outcomes: (ConsumerLogEntry & { consumer: string | undefined })[] = [];
    readonly invocations: Invocation[] = [];
    /** Failures of the run's own machinery (a poller's failed call), for the trace. */
    readonly errors: string[] = [];
    readonly #receipts = new Map<string, { consumer: string; messageId: string }>();

    received(consumer: string, messages: readonly Message[]): void {
        for (const message of messages) {
            if (message.MessageId === undefined) {
                continue;
            }
            if (message.ReceiptHandle !== undefined) {
                this.#receipts.set(message.ReceiptHandle, { consumer, messageId: message.MessageId });
            }
            this.deliveries.push({
                consumer,
                messageId: message.MessageId,
                body: message.Body ?? "",
                receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
                at: Date.now(),
            });
        }
    }

    deletedReceipts(receiptHandles: readonly string[]): void {
        for (const handle of receiptHandles) {
            const message = this.#receipts.get(handle);
            if (message !== undefined) {
                this.deleted.push(message);
            }
        }
    }

    /** A line a consumer wrote; `consumer` when the line's source is known (a function's own output). */
    logLine(line: string, consumer?: string): void {
        const entry = classifyLogLine(line);
        if (entry !== undefined) {
            this.outcomes.push({ ...entry, consumer });
        }
    }

    /** The consumer that received a message: SQS message ids are unique per queue, and each queue has one consumer. */
    consumerOf(messageId: string): string | undefined {
        return this.deliveries.find((d) => d.messageId === messageId)?.consumer;
    }
}

/**
 * Records what a consumer's SQS client receives and deletes, by a middleware on the client: the
 * consumer code runs unchanged and the run sees exactly the API calls it makes.
 */
export function observeSqsClient(client: SQSClient, consumer: string, recorder: RunRecorder): SQSClient {
    client.middlewareStack.add(
        (next, context) => async (args) => {
            const result = await next(args);
            const input = args.input as { ReceiptHandle?: string; Entries?: { Id?: string; ReceiptHandle?: string }[] };
            const output = result.output as { Messages?: Message[]; Successful?: { Id?: string }[] };
            switch (context.commandName) {
                case "ReceiveMessageCommand":
                    recorder.received(consumer, output.Messages ?? []);
                    break;
                case "DeleteMessageCommand":
                    recorder.deletedReceipts(input.ReceiptHandle === undefined ? [] : [input.ReceiptHandle]);
                    break;
                case "DeleteMessageBatchCommand": {
                    const succeeded = new Set((output.Successful ?? []).map((entry) => entry.Id));
                    recorder.deletedReceipts((input.Entries ?? []).filter((e) => succeeded.has(e.Id)).map((e) => e.ReceiptHandle ?? ""));
                    break;
                }
            }
            return result;
        },
        { step: "initialize", name: "localRunObserver" },
    );
    return client;
}
