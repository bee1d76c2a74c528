/**
 * Fixtures of the worker's specs (the loop and its entry point): its environment, SQS messages, a
 * scripted queue behind aws-sdk-client-mock, and handlers that record what they were given.
 */
import {
    ChangeMessageVisibilityCommand,
    DeleteMessageBatchCommand,
    type Message,
    ReceiveMessageCommand,
    SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import type { CloudEvent } from "../../../consumers/shared/cloudevent";
import type { EventHandlers } from "../../../consumers/shared/handlers";

export const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders-worker";
export const ENV = {
    CONSUMER_NAME: "orders-worker",
    IDEMPOTENCY_TABLE_NAME: "idempotency-1a2b3c",
    POWERTOOLS_SERVICE_NAME: "orders-worker",
    POWERTOOLS_METRICS_NAMESPACE: "event-pipeline/test",
    POWERTOOLS_LOG_LEVEL: "INFO",
    QUEUE_URL,
    AWS_REGION: "eu-west-1",
    VISIBILITY_TIMEOUT_SECONDS: "30",
};

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let messageCounter = 0;
export function message(body: string): Message {
    messageCounter += 1;
    return {
        MessageId: `m-${messageCounter}`,
        ReceiptHandle: `rh-${messageCounter}`,
        Body: body,
        Attributes: { SentTimestamp: String(Date.now() - 2_000), ApproximateReceiveCount: "1" },
    };
}

/**
 * An SQS queue as the worker sees it: each ReceiveMessage returns the next scripted batch; once
 * the script is exhausted the call long-polls until the worker aborts it, and `whenIdle` fires so
 * that a test can send the stop signal.
 */
export class ScriptedQueue {
    readonly client = new SQSClient({ region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
    readonly mock = mockClient(this.client);
    whenIdle: () => void = () => undefined;

    /** A batch is returned; an Error is what that ReceiveMessage call throws. */
    constructor(batches: (Message[] | Error)[], stop: AbortSignal) {
        const script = [...batches];
        this.mock.on(ReceiveMessageCommand).callsFake(() => {
            const next = script.shift();
            if (next instanceof Error) {
                return Promise.reject(next);
            }
            if (next !== undefined) {
                return Promise.resolve({ Messages: next });
            }
            this.whenIdle();
            return new Promise((_, reject) => {
                const abort = () => reject(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
                if (stop.aborted) {
                    abort();
                } else {
                    stop.addEventListener("abort", abort, { once: true });
                }
            });
        });
        this.mock.on(DeleteMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
            Successful: input.Entries.map(({ Id }) => ({ Id })),
            Failed: [],
        }));
        this.mock.on(ChangeMessageVisibilityCommand).resolves({});
    }

    receiveCalls() {
        return this.mock.commandCalls(ReceiveMessageCommand);
    }

    /** Receipt handles of every message deleted, in order. */
    deleted(): string[] {
        return this.mock
            .commandCalls(DeleteMessageBatchCommand)
            .flatMap((call) => call.args[0].input.Entries?.map((entry) => entry.ReceiptHandle as string) ?? []);
    }

    heartbeatsFor(receiptHandle: string) {
        return this.mock.commandCalls(ChangeMessageVisibilityCommand, { ReceiptHandle: receiptHandle });
    }
}

export function recordingHandlers(calls: string[], behaviour: (event: CloudEvent) => Promise<void> = async () => undefined): EventHandlers {
    return {
        "order.created": async (event) => {
            calls.push(event.id);
            await behaviour(event);
        },
    };
}
