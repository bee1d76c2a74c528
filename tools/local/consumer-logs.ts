/**
 * What a consumer did with a delivery, read from its own structured logs — the same lines
 * CloudWatch Logs would hold. The shared processor (`consumers/shared/processor.ts`) writes exactly
 * one of these per delivery, with the SQS message id and, once the body parsed, the event id as
 * `correlation_id`. The local pipeline specs fail if a wording changes and a line goes unrecognised.
 */

export type Outcome =
    /** The handler ran and succeeded. */
    | "processed"
    /** No handler for the type: acknowledged, which counts as processed. */
    | "unhandled"
    /** Idempotency found the event already processed: skipped and acknowledged. */
    | "duplicate"
    /** Another delivery of the event was in progress: left for a retry. */
    | "in-progress"
    /** The handler threw: left on the queue for a retry. */
    | "failed"
    /** The body is not a CloudEvent: failed, headed for the dead-letter queue. */
    | "not-a-cloudevent";

export interface ConsumerLogEntry {
    outcome: Outcome;
    messageId: string;
    eventId?: string;
}

const OUTCOMES: readonly [string, Outcome][] = [
    ["Event processed", "processed"],
    ["No handler for this event type; acknowledging it", "unhandled"],
    ["Duplicate delivery of an event already processed; acknowledging it", "duplicate"],
    ["Event is being processed by another delivery; retrying later", "in-progress"],
    ["Event processing failed; the message stays on the queue to be retried", "failed"],
    ["Message is not a CloudEvent; failing it so that it reaches the dead-letter queue", "not-a-cloudevent"],
];

/** The outcome a log line records, or undefined for any other line (EMF metrics, debug, text). */
export function classifyLogLine(line: string): ConsumerLogEntry | undefined {
    if (!line.startsWith("{")) {
        return undefined;
    }
    let entry: Record<string, unknown>;
    try {
        entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
        return undefined;
    }
    const outcome = OUTCOMES.find(([message]) => message === entry.message)?.[1];
    if (outcome === undefined || typeof entry.messageId !== "string") {
        return undefined;
    }
    return { outcome, messageId: entry.messageId, ...(typeof entry.correlation_id === "string" && { eventId: entry.correlation_id }) };
}

/** Outcomes in which the event's handler ran to completion. */
export function isExecution(outcome: Outcome): boolean {
    return outcome === "processed" || outcome === "unhandled";
}
