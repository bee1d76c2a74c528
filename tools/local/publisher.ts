/**
 * What the local run publishes, and where each message should go: N CloudEvents of the types the
 * stack's filter policies name plus one they do not, K exact re-publications of some of them
 * (same event id: what SNS retries and producer retries look like to a consumer), and P poison
 * messages that are not CloudEvents at all. Events go through `npm run publish-event`'s own code.
 */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { ConsumerConfig } from "../../config";
import type { CloudEvent } from "../../consumers/shared/cloudevent";
import { defaultHandlers } from "../../consumers/shared/handlers";
import { buildCloudEvent, publishEvent } from "../publish-event";
import { filterPolicyMatches, type PublishedMessage } from "./filter-policy";

/** A type no filter names (checked), so the run shows what happens to an event nobody asked for. */
export const UNMATCHED_TYPE = "local.unmatched";
export const LOCAL_SOURCE = "urn:event-pipeline:local";

export interface PlannedEvent {
    /** Short name in the trace: e01, e02, … */
    key: string;
    event: CloudEvent;
    /** How often it is published: 1, or 2 for an event that is also duplicated. */
    copies: number;
}

export interface PlannedPoison {
    key: string;
    body: string;
}

export interface PublishPlan {
    events: PlannedEvent[];
    poison: PlannedPoison[];
}

export interface PlanCounts {
    events: number;
    duplicates: number;
    poison: number;
}

/** String values a filter policy lists for the `type` key, at the top or inside `$or`. */
function typesNamedBy(policy: Record<string, unknown>): string[] {
    const named: string[] = [];
    for (const [key, rule] of Object.entries(policy)) {
        if (key === "type" && Array.isArray(rule)) {
            named.push(...rule.filter((value): value is string => typeof value === "string"));
        } else if (key === "$or" && Array.isArray(rule)) {
            for (const alternative of rule) {
                if (alternative !== null && typeof alternative === "object") {
                    named.push(...typesNamedBy(alternative as Record<string, unknown>));
                }
            }
        }
    }
    return named;
}

/**
 * The types to publish: those the filter policies name (or, when none does, those the consumer
 * code handles), then one that none of them names.
 */
export function eventTypes(consumers: readonly ConsumerConfig[]): string[] {
    const named = [...new Set(consumers.flatMap((c) => (c.filterPolicy ? typesNamedBy(c.filterPolicy) : [])))];
    const types = named.length > 0 ? named : Object.keys(defaultHandlers);
    let unmatched = UNMATCHED_TYPE;
    for (let n = 2; types.includes(unmatched); n += 1) {
        unmatched = `${UNMATCHED_TYPE}${n}`;
    }
    return [...types, unmatched];
}

function pad(n: number, total: number): string {
    return String(n).padStart(String(total).length, "0");
}

export function planMessages(types: readonly string[], counts: PlanCounts, now: Date = new Date()): PublishPlan {
    const events: PlannedEvent[] = Array.from({ length: counts.events }, (_, i) => ({
        key: `e${pad(i + 1, counts.events)}`,
        // Every event carries what the consumer's handlers require (order.created needs an orderId).
        event: buildCloudEvent({ type: types[i % types.length], source: LOCAL_SOURCE, data: { orderId: `local-order-${i + 1}` } }, now),
        copies: 1,
    }));
    // Spread over the run rather than the first K, so duplicates of several types are seen.
    for (let j = 0; j < counts.duplicates; j += 1) {
        events[Math.floor((j * counts.events) / counts.duplicates)].copies += 1;
    }
    const poison = Array.from({ length: counts.poison }, (_, i) => ({
        key: `p${pad(i + 1, counts.poison)}`,
        body: `poison message ${i + 1} of the local run: not a CloudEvent`,
    }));
    return { events, poison };
}

/** The message as SNS sees it: the filter policies are matched against this. */
export function publishedMessage(item: PlannedEvent | PlannedPoison): PublishedMessage {
    if ("event" in item) {
        // publishEvent sets these message attributes, with the CloudEvent as the body.
        return { body: JSON.stringify(item.event), attributes: { type: item.event.type, source: item.event.source } };
    }
    return { body: item.body, attributes: {} };
}

/** Whether SNS should deliver the message to a consumer with this config; undefined: cannot say. */
export function shouldReach(consumer: ConsumerConfig, item: PlannedEvent | PlannedPoison): boolean | undefined {
    if (consumer.filterPolicy === undefined) {
        return true;
    }
    return filterPolicyMatches(consumer.filterPolicy, consumer.filterPolicyScope, publishedMessage(item));
}

/**
 * Poison first (it needs maxReceiveCount visibility timeouts to reach a dead-letter queue, so its
 * clock starts early), then every event once, then the duplicates.
 */
export async function publishPlan(sns: SNSClient, topicArn: string, plan: PublishPlan, signal?: AbortSignal): Promise<void> {
    for (const poison of plan.poison) {
        signal?.throwIfAborted();
        await sns.send(new PublishCommand({ TopicArn: topicArn, Message: poison.body }));
    }
    for (const { event } of plan.events) {
        signal?.throwIfAborted();
        await publishEvent(sns, topicArn, event);
    }
    for (const { event, copies } of plan.events) {
        for (let copy = 1; copy < copies; copy += 1) {
            signal?.throwIfAborted();
            await publishEvent(sns, topicArn, event);
        }
    }
}
