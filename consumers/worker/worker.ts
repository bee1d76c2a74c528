/**
 * The long-polling SQS worker run by the ECS service. One batch at a time: receive up to 10
 * messages, process them concurrently through the shared processor while a heartbeat keeps each
 * invisible, then delete — in one DeleteMessageBatch — only those that were processed. A message
 * that failed is left alone, so that it comes back after its visibility timeout and, after
 * `maxReceiveCount` attempts, the queue's redrive policy moves it to the dead-letter queue.
 */
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { Delivery, Outcome } from "../shared/processor";
import { type Clock, sleep, systemClock } from "./clock";
import { VisibilityHeartbeat } from "./heartbeat";

/** The part of the shared `EventProcessor` the worker uses. */
export interface MessageProcessor {
    process(body: string, delivery: Delivery): Promise<Outcome>;
}

export interface WorkerOptions {
    sqs: SQSClient;
    queueUrl: string;
    processor: MessageProcessor;
    logger: Logger;
    metrics: Metrics;
    visibilityTimeoutSeconds: number;
    /** After a stop request, how long in-flight messages may still run (the task's stop timeout minus a margin). */
    stopTimeoutMs: number;
    /** Default: a third of the visibility timeout, so two beats can fail before a message reappears. */
    heartbeatIntervalMs?: number;
    /** SQS's maximum: long polling with the fewest empty receives. */
    waitTimeSeconds?: number;
    /** SQS's maximum per ReceiveMessage call. */
    maxMessages?: number;
    /** First back-off after a failed receive; doubles up to `maxErrorBackoffMs`. */
    errorBackoffMs?: number;
    maxErrorBackoffMs?: number;
    clock?: Clock;
}

export interface WorkerSummary {
    batches: number;
    received: number;
    processed: number;
    failed: number;
    /** Still running when the stop timeout ran out: not deleted, so SQS will redeliver them. */
    abandoned: number;
    deleted: number;
}

type MessageState = "running" | "processed" | "failed";

export class QueueWorker {
    readonly #options: Required<WorkerOptions>;

    constructor(options: WorkerOptions) {
        this.#options = {
            heartbeatIntervalMs: Math.max(1_000, Math.floor((options.visibilityTimeoutSeconds * 1_000) / 3)),
            waitTimeSeconds: 20,
            maxMessages: 10,
            errorBackoffMs: 1_000,
            maxErrorBackoffMs: 20_000,
            clock: systemClock,
            ...options,
        };
    }

    /** Runs until `stop` aborts, then returns once the current batch is settled or abandoned. */
    async run(stop: AbortSignal): Promise<WorkerSummary> {
        const { logger, metrics, clock } = this.#options;
        const summary: WorkerSummary = { batches: 0, received: 0, processed: 0, failed: 0, abandoned: 0, deleted: 0 };
        const stopDeadline = this.#deadlineAfterStop(stop);
        let backoffMs = this.#options.errorBackoffMs;

        logger.info("Worker started", { queueUrl: this.#options.queueUrl });
        while (!stop.aborted) {
            let messages: Message[];
            try {
                messages = await this.#receive(stop);
                backoffMs = this.#options.errorBackoffMs;
            } catch (error) {
                if (stop.aborted) {
                    break; // the aborted long poll, not a fault
                }
                logger.error("ReceiveMessage failed; backing off", { error: error as Error, backoffMs });
                await sleep(clock, backoffMs, stop);
                backoffMs = Math.min(backoffMs * 2, this.#options.maxErrorBackoffMs);
                continue;
            }
            if (messages.length > 0) {
                await this.#processBatch(messages, stopDeadline.reached, summary);
                if (metrics.hasStoredMetrics()) {
                    metrics.publishStoredMetrics();
                }
            }
        }
        stopDeadline.cancel();
        logger.info("Worker stopped", { ...summary });
        return summary;
    }

    #receive(stop: AbortSignal): Promise<Message[]> {
        const { sqs, queueUrl, maxMessages, waitTimeSeconds, visibilityTimeoutSeconds } = this.#options;
        return sqs
            .send(
                new ReceiveMessageCommand({
                    QueueUrl: queueUrl,
                    MaxNumberOfMessages: maxMessages,
                    WaitTimeSeconds: waitTimeSeconds,
                    // Stated explicitly so the heartbeat and the idempotency claim agree with the
                    // real deadline, whatever the queue's default is.
                    VisibilityTimeout: visibilityTimeoutSeconds,
                    MessageSystemAttributeNames: ["SentTimestamp", "ApproximateReceiveCount"],
                }),
                // A stop request cuts the long poll short instead of waiting up to 20 s; messages
                // SQS handed out meanwhile simply reappear after their visibility timeout.
                { abortSignal: stop },
            )
            .then((output) => output.Messages ?? []);
    }

    async #processBatch(messages: Message[], stopDeadline: Promise<void>, summary: WorkerSummary): Promise<void> {
        const { clock, visibilityTimeoutSeconds, logger } = this.#options;
        const receivedAt = clock.now();
        const visibleAgainAt = receivedAt + visibilityTimeoutSeconds * 1_000;
        summary.batches += 1;
        summary.received += messages.length;

        const states: MessageState[] = messages.map(() => "running");
        // Heartbeats run until the message is deleted or given up, not just until its handler
        // returns: a processed message waiting for its batch must not reappear meanwhile.
        const heartbeats = messages.map((message) => this.#heartbeat(message));
        const settled = Promise.all(
            messages.map(async (message, index) => {
                const ok = await this.#processOne(message, visibleAgainAt);
                states[index] = ok ? "processed" : "failed";
                if (!ok) {
                    heartbeats[index]?.stop(); // let it come back for a retry
                }
            }),
        );
        await Promise.race([settled, stopDeadline]);
        heartbeats.forEach((heartbeat) => heartbeat?.stop());

        const processed = messages.filter((_, index) => states[index] === "processed");
        const abandoned = states.filter((state) => state === "running").length;
        summary.processed += processed.length;
        summary.failed += states.filter((state) => state === "failed").length;
        summary.abandoned += abandoned;
        if (abandoned > 0) {
            logger.warn("Stop timeout reached with messages in flight; SQS will redeliver them", { abandoned });
        }
        summary.deleted += await this.#delete(processed);
    }

    async #processOne(message: Message, visibleAgainAt: number): Promise<boolean> {
        const { processor, clock } = this.#options;
        try {
            await processor.process(message.Body ?? "", {
                messageId: message.MessageId ?? "",
                sentTimestamp: Number(message.Attributes?.SentTimestamp) || undefined,
                // An in-progress idempotency claim lapses when the message would reappear, so a
                // worker that dies mid-message does not block the next delivery for long.
                remainingTime: { getRemainingTimeInMillis: () => Math.max(0, visibleAgainAt - clock.now()) },
            });
            return true;
        } catch {
            return false; // the processor has logged and counted it
        }
    }

    #heartbeat(message: Message): VisibilityHeartbeat | undefined {
        if (message.ReceiptHandle === undefined) {
            return undefined;
        }
        const { sqs, queueUrl, visibilityTimeoutSeconds, heartbeatIntervalMs, clock, logger } = this.#options;
        return new VisibilityHeartbeat({
            sqs,
            queueUrl,
            receiptHandle: message.ReceiptHandle,
            messageId: message.MessageId ?? "",
            visibilityTimeoutSeconds,
            intervalMs: heartbeatIntervalMs,
            clock,
            logger,
        }).start();
    }

    /** Deletes the processed messages; returns how many SQS confirmed. */
    async #delete(messages: Message[]): Promise<number> {
        const { sqs, queueUrl, logger } = this.#options;
        const entries = messages
            .filter((message) => message.ReceiptHandle !== undefined)
            .map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle as string }));
        if (entries.length === 0) {
            return 0;
        }
        try {
            const output = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
            for (const failure of output.Failed ?? []) {
                // Not lost: the message comes back and the idempotency record marks it a duplicate.
                logger.warn("Could not delete a processed message; it will be redelivered and skipped", {
                    entryId: failure.Id,
                    code: failure.Code,
                    reason: failure.Message,
                });
            }
            return output.Successful?.length ?? 0;
        } catch (error) {
            logger.error("DeleteMessageBatch failed; the processed messages will be redelivered and skipped", {
                error: error as Error,
                count: entries.length,
            });
            return 0;
        }
    }

    /** `reached` resolves `stopTimeoutMs` after `stop` aborts, never before. */
    #deadlineAfterStop(stop: AbortSignal): { reached: Promise<void>; cancel: () => void } {
        const { clock, stopTimeoutMs } = this.#options;
        let timer: unknown;
        let resolveReached: () => void = () => undefined;
        const reached = new Promise<void>((resolve) => (resolveReached = resolve));
        const arm = () => {
            timer = clock.setTimeout(resolveReached, stopTimeoutMs);
        };
        if (stop.aborted) {
            arm();
        } else {
            stop.addEventListener("abort", arm, { once: true });
        }
        return {
            reached,
            cancel: () => {
                stop.removeEventListener("abort", arm);
                if (timer !== undefined) {
                    clock.clearTimeout(timer);
                }
            },
        };
    }
}
