/**
 * Per-type handling. A handler either resolves (the event is done and its message may be
 * deleted) or throws (the message stays on the queue and is retried until the dead-letter queue).
 * Types without a handler are acknowledged by the processor, not failed: a producer adding a new
 * event type must not fill every consumer's dead-letter queue.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { CloudEvent } from "./cloudevent";

export interface HandlerContext {
    consumerName: string;
    /** Already carries the event id as `correlation_id`. */
    logger: Logger;
}

/** What a handler returns is stored with the idempotency record, so keep it small and JSON. */
export type HandlerResult = Record<string, string | number | boolean> | void;

export type EventHandler = (event: CloudEvent, context: HandlerContext) => Promise<HandlerResult>;

export type EventHandlers = Readonly<Record<string, EventHandler>>;

/** A permanent problem with an event's data: retrying will not help, the DLQ is where it belongs. */
export class InvalidEventDataError extends Error {
    public override readonly name = "InvalidEventDataError";
}

export const defaultHandlers: EventHandlers = {
    "order.created": handleOrderCreated,
};

async function handleOrderCreated(event: CloudEvent, { logger }: HandlerContext): Promise<HandlerResult> {
    const data = event.data as { orderId?: unknown } | undefined;
    if (typeof data?.orderId !== "string" || data.orderId.length === 0) {
        throw new InvalidEventDataError("order.created needs data.orderId, a non-empty string");
    }
    logger.info("Order accepted", { orderId: data.orderId });
    return { orderId: data.orderId };
}
