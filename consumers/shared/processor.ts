/**
 * Processing shared by the Lambda consumer and the ECS worker: parse the CloudEvent, run its
 * handler at most once per consumer (SQS and SNS both deliver at least once), and say so in logs
 * and metrics. It resolves when the message may be deleted and throws when it must stay on the
 * queue; the callers turn that into a batch item failure or a message they do not delete.
 */
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import type { Logger } from "@aws-lambda-powertools/logger";
import { MetricUnit, type Metrics } from "@aws-lambda-powertools/metrics";
import { type CloudEvent, parseCloudEvent } from "./cloudevent";
import { defaultHandlers, type EventHandlers, type HandlerResult } from "./handlers";

/** Metric names, shared with dashboards and alarms the program may build on them. */
export const EventMetric = {
    processed: "EventsProcessed",
    failed: "EventsFailed",
    unhandled: "EventsUnhandled",
    duplicate: "EventsDuplicate",
    age: "EventAgeMs",
} as const;

/**
 * The idempotency key is the pair (consumer name, event id): SNS fans the same event out to every
 * consumer and they share one table, so the event id alone would let the first consumer's record
 * make every other consumer skip the event.
 */
export const IDEMPOTENCY_KEY_JMESPATH = "[consumer, event.id]";

/**
 * CloudEvents only promise that source + id is unique. Validating source and type against the
 * stored record makes a different event that reuses an id fail loudly (and reach the
 * dead-letter queue) instead of being skipped as a duplicate.
 */
export const IDEMPOTENCY_VALIDATION_JMESPATH = "event.[source, type]";

/**
 * How long a processed event is remembered. Duplicates come from SNS retries and SQS
 * redeliveries after a lost delete (at most a visibility timeout, ≤ 12 h, later), so a day
 * covers them with margin; DynamoDB's TTL then removes the record at no cost.
 */
export const IDEMPOTENCY_EXPIRES_AFTER_SECONDS = 24 * 60 * 60;

/** A Lambda `Context`, or the worker's equivalent built from the message's visibility deadline. */
export interface RemainingTime {
    getRemainingTimeInMillis(): number;
}

export interface Delivery {
    messageId: string;
    /** SQS `SentTimestamp` in ms: the event's age when the event has no `time`. */
    sentTimestamp?: number;
    /**
     * Until when an in-progress idempotency record holds: if this attempt dies, the next
     * delivery may take over once it lapses instead of waiting for the record to expire.
     */
    remainingTime: RemainingTime;
}

export type OutcomeStatus = "handled" | "unhandled" | "duplicate";

export interface Outcome {
    status: OutcomeStatus;
    eventId: string;
    eventType: string;
}

export interface EventProcessorOptions {
    consumerName: string;
    logger: Logger;
    metrics: Metrics;
    handlers?: EventHandlers;
    /** Absent when idempotency is disabled (local runs): every delivery is then handled. */
    persistenceStore?: BasePersistenceLayer;
    now?: () => number;
}

interface IdempotentInput {
    consumer: string;
    event: CloudEvent;
}

/** Per-call state the idempotent function reports through, since it only returns stored data. */
interface Attempt {
    logger: Logger;
    executed: boolean;
}

interface StoredOutcome {
    status: Exclude<OutcomeStatus, "duplicate">;
    result?: HandlerResult;
}

type HandleFn = (input: IdempotentInput, remainingTime: RemainingTime, attempt: Attempt) => Promise<StoredOutcome>;

export class EventProcessor {
    readonly #options: Required<Omit<EventProcessorOptions, "persistenceStore">>;
    readonly #handle: HandleFn;

    constructor(options: EventProcessorOptions) {
        this.#options = { handlers: defaultHandlers, now: Date.now, ...options };
        const execute: HandleFn = (input, _remainingTime, attempt) => this.#execute(input.event, attempt);
        this.#handle = options.persistenceStore
            ? makeIdempotent(execute, {
                  persistenceStore: options.persistenceStore,
                  // A readable prefix instead of Powertools' default (the Lambda function's
                  // generated name), identical for the Lambda and the worker of one consumer.
                  keyPrefix: options.consumerName,
                  config: new IdempotencyConfig({
                      eventKeyJmesPath: IDEMPOTENCY_KEY_JMESPATH,
                      payloadValidationJmesPath: IDEMPOTENCY_VALIDATION_JMESPATH,
                      throwOnNoIdempotencyKey: true,
                      expiresAfterSeconds: IDEMPOTENCY_EXPIRES_AFTER_SECONDS,
                  }),
              })
            : execute;
    }

    /** Resolves when the message may be deleted; throws when it must be retried. */
    async process(body: string, delivery: Delivery): Promise<Outcome> {
        const { logger, metrics, consumerName } = this.#options;
        let event: CloudEvent;
        try {
            event = parseCloudEvent(body);
        } catch (error) {
            metrics.addMetric(EventMetric.failed, MetricUnit.Count, 1);
            logger.error("Message is not a CloudEvent; failing it so that it reaches the dead-letter queue", {
                messageId: delivery.messageId,
                error: error as Error,
            });
            throw error;
        }

        const eventLogger = logger.createChild({
            persistentKeys: {
                correlation_id: event.id,
                eventType: event.type,
                eventSource: event.source,
                messageId: delivery.messageId,
            },
        });
        const age = this.#ageMs(event, delivery);
        if (age !== undefined) {
            metrics.addMetric(EventMetric.age, MetricUnit.Milliseconds, age);
        }

        const attempt: Attempt = { logger: eventLogger, executed: false };
        let stored: StoredOutcome;
        try {
            stored = await this.#handle({ consumer: consumerName, event }, delivery.remainingTime, attempt);
        } catch (error) {
            metrics.addMetric(EventMetric.failed, MetricUnit.Count, 1);
            if ((error as Error).name === "IdempotencyAlreadyInProgressError") {
                // Another delivery of this event is being worked on right now: not a fault, just retry later.
                eventLogger.warn("Event is being processed by another delivery; retrying later", { error: error as Error });
            } else {
                eventLogger.error("Event processing failed; the message stays on the queue to be retried", { error: error as Error });
            }
            throw error;
        }

        if (!attempt.executed) {
            metrics.addMetric(EventMetric.duplicate, MetricUnit.Count, 1);
            eventLogger.info("Duplicate delivery of an event already processed; acknowledging it");
            return { status: "duplicate", eventId: event.id, eventType: event.type };
        }
        metrics.addMetric(EventMetric.processed, MetricUnit.Count, 1);
        if (stored.status === "unhandled") {
            metrics.addMetric(EventMetric.unhandled, MetricUnit.Count, 1);
        }
        return { status: stored.status, eventId: event.id, eventType: event.type };
    }

    async #execute(event: CloudEvent, attempt: Attempt): Promise<StoredOutcome> {
        attempt.executed = true;
        const handler = this.#options.handlers[event.type];
        if (handler === undefined) {
            attempt.logger.info("No handler for this event type; acknowledging it");
            return { status: "unhandled" };
        }
        const started = this.#options.now();
        const result = await handler(event, { consumerName: this.#options.consumerName, logger: attempt.logger });
        attempt.logger.info("Event processed", { durationMs: this.#options.now() - started });
        return result === undefined ? { status: "handled" } : { status: "handled", result };
    }

    #ageMs(event: CloudEvent, delivery: Delivery): number | undefined {
        const produced = event.time !== undefined ? Date.parse(event.time) : delivery.sentTimestamp;
        if (produced === undefined || Number.isNaN(produced)) {
            return undefined;
        }
        // Producer clocks can run ahead of ours; a negative age would only distort the statistic.
        return Math.max(0, this.#options.now() - produced);
    }
}
