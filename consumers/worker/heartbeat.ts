/**
 * Keeps a received message invisible while this worker still owns it. Without it, work that
 * outlasts the visibility timeout would be handed to a second worker while the first is still
 * busy — a duplicate by design, and a message deleted by whoever finishes second.
 */
import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Clock } from "./clock";

export interface HeartbeatOptions {
    sqs: SQSClient;
    queueUrl: string;
    receiptHandle: string;
    messageId: string;
    /** Each beat makes the message invisible for this long again, counted from the beat. */
    visibilityTimeoutSeconds: number;
    intervalMs: number;
    clock: Clock;
    logger: Logger;
}

// The message is gone or already visible again: extending it can never succeed now.
const FINAL_ERRORS = new Set(["ReceiptHandleIsInvalid", "MessageNotInflight", "InvalidParameterValue"]);

export class VisibilityHeartbeat {
    #timer: unknown;
    #stopped = false;
    #beats = 0;

    constructor(private readonly options: HeartbeatOptions) {}

    get beats(): number {
        return this.#beats;
    }

    start(): this {
        this.#schedule();
        return this;
    }

    stop(): void {
        this.#stopped = true;
        if (this.#timer !== undefined) {
            this.options.clock.clearTimeout(this.#timer);
            this.#timer = undefined;
        }
    }

    // A chain of timeouts rather than an interval, so that a slow SQS call never overlaps the next.
    #schedule(): void {
        if (this.#stopped) {
            return;
        }
        this.#timer = this.options.clock.setTimeout(() => void this.#beat(), this.options.intervalMs);
    }

    async #beat(): Promise<void> {
        const { sqs, queueUrl, receiptHandle, messageId, visibilityTimeoutSeconds, logger } = this.options;
        if (this.#stopped) {
            return;
        }
        try {
            await sqs.send(
                new ChangeMessageVisibilityCommand({
                    QueueUrl: queueUrl,
                    ReceiptHandle: receiptHandle,
                    VisibilityTimeout: visibilityTimeoutSeconds,
                }),
            );
            this.#beats += 1;
            logger.debug("Extended message visibility", { messageId, visibilityTimeoutSeconds, beats: this.#beats });
        } catch (error) {
            const name = (error as Error).name;
            logger.warn("Could not extend message visibility", { messageId, error: error as Error });
            if (FINAL_ERRORS.has(name)) {
                this.stop();
                return;
            }
        }
        this.#schedule();
    }
}
