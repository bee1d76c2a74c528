/**
 * The trace and the verdict of a local run, from what was published, what the config says each
 * consumer should get, and what the recorder observed. The run passes only when every event
 * reached exactly the consumers whose filter matches it, each processed it exactly once, every
 * poison message is in the dead-letter queue of each consumer that received it, and no consumer's
 * queue is left with messages.
 */
import type { ConsumerConfig } from "../../config";
import { isExecution, type Outcome } from "./consumer-logs";
import { type PlannedEvent, type PlannedPoison, type PublishPlan, shouldReach } from "./publisher";
import type { RunRecorder } from "./recorder";

/** Per consumer, per published event: the `events[].consumers[]` entries of the report. */
export interface EventAtConsumer {
    name: string;
    /** Whether its filter (in the stack config) matches; null when the filter uses an operator the run cannot evaluate. */
    expected: boolean | null;
    /** Deliveries, redeliveries included. */
    received: number;
    /** Runs of the handler that completed (an event without a handler counts: it is acknowledged). */
    processed: number;
    /** Of those, deliveries acknowledged because the consumer code has no handler for the type. */
    withoutHandler: number;
    duplicatesSkipped: number;
    /** Deliveries that failed, or met another delivery of the same event in progress, and were left for a retry. */
    retried: number;
    /** Copies in the consumer's dead-letter queue at the end. */
    inDeadLetterQueue: number;
    /** The highest receive count SQS reported for it. */
    maxReceiveCount: number;
}

export interface EventReport {
    /** The CloudEvent id, or the poison message's key. */
    id: string;
    key: string;
    type: string | null;
    poison: boolean;
    /** How often it was published (duplicates included). */
    published: number;
    consumers: EventAtConsumer[];
}

export interface ConsumerReport {
    name: string;
    kind: "lambda" | "ecs";
    received: number;
    processed: number;
    duplicatesSkipped: number;
    deadLetterQueue: { name: string; messages: number };
}

/** The `--json` document. */
export interface LocalReport {
    stack: string;
    verdict: "pass" | "fail";
    problems: string[];
    events: EventReport[];
    consumers: ConsumerReport[];
}

export interface ConsumerState {
    name: string;
    kind: "lambda" | "ecs";
    config: ConsumerConfig | undefined;
    deadLetterQueueName: string;
    /** Bodies of the messages in the dead-letter queue at the end. */
    deadLetterBodies: string[];
    /** What the consumer's own queue still holds at the end. */
    remaining: { visible: number; inFlight: number; delayed: number };
    queueName: string;
}

export interface VerdictInput {
    stack: string;
    plan: PublishPlan;
    consumers: ConsumerState[];
    recorder: RunRecorder;
    /** Problems found elsewhere (the run not settling, idempotency records DynamoDB's TTL would keep). */
    problems: string[];
}

/** The published item a message body carries: raw delivery, or inside an SNS envelope. */
export function itemOfBody(plan: PublishPlan, body: string): PlannedEvent | PlannedPoison | undefined {
    let text = body;
    try {
        const outer = JSON.parse(body) as { Type?: unknown; Message?: unknown; id?: unknown };
        if (outer?.Type === "Notification" && typeof outer.Message === "string") {
            text = outer.Message;
        } else if (typeof outer?.id === "string") {
            return plan.events.find((e) => e.event.id === outer.id);
        }
    } catch {
        // not JSON: a poison message, or none of ours
    }
    try {
        const inner = JSON.parse(text) as { id?: unknown };
        if (typeof inner?.id === "string") {
            return plan.events.find((e) => e.event.id === inner.id);
        }
    } catch {
        // not JSON
    }
    return plan.poison.find((p) => p.body === text);
}

function keyOf(item: PlannedEvent | PlannedPoison): string {
    return item.key;
}

function describeItem(item: PlannedEvent | PlannedPoison): string {
    return "event" in item ? `event ${item.key} (${item.event.type}, id ${item.event.id})` : `poison message ${item.key}`;
}

export function buildReport(input: VerdictInput): LocalReport {
    const { plan, recorder } = input;
    const problems = [...input.problems];
    const items: (PlannedEvent | PlannedPoison)[] = [...plan.events, ...plan.poison];

    // Which published item each SQS message carries, and at which consumer.
    const itemOfMessage = new Map<string, string>();
    for (const delivery of recorder.deliveries) {
        const item = itemOfBody(plan, delivery.body);
        if (item !== undefined) {
            itemOfMessage.set(delivery.messageId, keyOf(item));
        }
    }
    const outcomesAt = (consumer: string, key: string): Outcome[] =>
        recorder.outcomes
            .filter((o) => (o.consumer ?? recorder.consumerOf(o.messageId)) === consumer && itemOfMessage.get(o.messageId) === key)
            .map((o) => o.outcome);

    const events: EventReport[] = items.map((item) => {
        const key = keyOf(item);
        const consumers = input.consumers.map((consumer): EventAtConsumer => {
            const deliveries = recorder.deliveries.filter((d) => d.consumer === consumer.name && itemOfMessage.get(d.messageId) === key);
            const outcomes = outcomesAt(consumer.name, key);
            const expected = consumer.config === undefined ? null : (shouldReach(consumer.config, item) ?? null);
            return {
                name: consumer.name,
                expected,
                received: deliveries.length,
                processed: outcomes.filter(isExecution).length,
                withoutHandler: outcomes.filter((o) => o === "unhandled").length,
                duplicatesSkipped: outcomes.filter((o) => o === "duplicate").length,
                retried: outcomes.filter((o) => o === "failed" || o === "in-progress" || o === "not-a-cloudevent").length,
                inDeadLetterQueue: consumer.deadLetterBodies.filter((body) => itemOfBody(plan, body) === item).length,
                maxReceiveCount: Math.max(0, ...deliveries.map((d) => d.receiveCount)),
            };
        });
        return {
            id: "event" in item ? item.event.id : key,
            key,
            type: "event" in item ? item.event.type : null,
            poison: !("event" in item),
            published: "event" in item ? item.copies : 1,
            consumers,
        };
    });

    for (const [index, event] of events.entries()) {
        const item = items[index];
        for (const at of event.consumers) {
            if (at.expected === true && at.received === 0) {
                problems.push(`${describeItem(item)} never reached ${at.name}, although its filter matches it`);
            }
            if (at.expected === false && at.received > 0) {
                problems.push(`${describeItem(item)} reached ${at.name}, although its filter does not match it`);
            }
            if (event.poison) {
                if (at.received > 0 && at.inDeadLetterQueue === 0) {
                    problems.push(`${describeItem(item)} reached ${at.name} but is not in its dead-letter queue`);
                }
                continue;
            }
            if (at.expected !== false && at.received > 0 && at.processed !== 1) {
                const why = at.inDeadLetterQueue > 0 ? `; it is in the dead-letter queue after ${at.maxReceiveCount} receives` : "";
                problems.push(`${at.name} processed ${describeItem(item)} ${at.processed} times instead of once${why}`);
            } else if (at.inDeadLetterQueue > 0) {
                problems.push(`${describeItem(item)} ended in ${at.name}'s dead-letter queue`);
            }
        }
    }

    for (const consumer of input.consumers) {
        const { visible, inFlight, delayed } = consumer.remaining;
        if (visible + inFlight + delayed > 0) {
            problems.push(`${consumer.name}'s queue ${consumer.queueName} still holds ${visible} visible, ${inFlight} in-flight and ${delayed} delayed messages at the end`);
        }
        const strangers = consumer.deadLetterBodies.filter((body) => itemOfBody(plan, body) === undefined).length;
        if (strangers > 0) {
            problems.push(`${consumer.name}'s dead-letter queue holds ${strangers} message(s) that are none of those published`);
        }
    }

    const consumers: ConsumerReport[] = input.consumers.map((consumer) => {
        const outcomes = recorder.outcomes.filter((o) => (o.consumer ?? recorder.consumerOf(o.messageId)) === consumer.name).map((o) => o.outcome);
        return {
            name: consumer.name,
            kind: consumer.kind,
            received: recorder.deliveries.filter((d) => d.consumer === consumer.name).length,
            processed: outcomes.filter(isExecution).length,
            duplicatesSkipped: outcomes.filter((o) => o === "duplicate").length,
            deadLetterQueue: { name: consumer.deadLetterQueueName, messages: consumer.deadLetterBodies.length },
        };
    });

    return { stack: input.stack, verdict: problems.length === 0 ? "pass" : "fail", problems, events, consumers };
}
