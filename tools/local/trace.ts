/**
 * The trace a person reads after `npm run local`: per event, which consumers received it, how
 * often and with what result; duplicates skipped by idempotency; poison messages and the
 * dead-letter queue each ended in; events no filter matched; then per consumer, and the verdict.
 */
import type { LocalRun } from "./run-local";
import type { EventAtConsumer, EventReport } from "./verdict";

function plural(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function times(n: number): string {
    return n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
}

function atConsumer(at: EventAtConsumer, width: number, poison: boolean, deadLetterQueue: string | undefined): string {
    const name = at.name.padEnd(width);
    if (at.received === 0) {
        if (at.expected === true) {
            return `${name}  ✗ never received, although its filter matches`;
        }
        return at.expected === false ? `${name}  – filtered out` : `${name}  – not received (its filter could not be evaluated here)`;
    }
    const parts = [`received ${times(at.received)}`];
    if (poison) {
        parts.push(`failed each time`);
        parts.push(at.inDeadLetterQueue > 0 ? `→ in ${deadLetterQueue ?? "its dead-letter queue"} after ${at.maxReceiveCount} receives` : "✗ not in its dead-letter queue");
    } else {
        parts.push(`processed ${times(at.processed)}${at.withoutHandler > 0 ? " (no handler for its type: acknowledged)" : ""}`);
        if (at.retried > 0) {
            parts.push(`retried ${at.retried}`);
        }
        if (at.duplicatesSkipped > 0) {
            parts.push(`duplicate skipped ${at.duplicatesSkipped}`);
        }
        if (at.inDeadLetterQueue > 0) {
            parts.push(`✗ in the dead-letter queue after ${at.maxReceiveCount} receives`);
        }
    }
    const mark = at.expected === false ? "  ✗ its filter does not match" : !poison && at.processed !== 1 ? "  ✗" : "";
    return `${name}  ${parts.join(" · ")}${mark}`;
}

function eventHeading(event: EventReport): string {
    if (event.poison) {
        return `${event.key}  poison (not a CloudEvent)`;
    }
    const copies = event.published > 1 ? `  published ${times(event.published)} (${event.published - 1} exact duplicate${event.published > 2 ? "s" : ""})` : "";
    return `${event.key}  ${event.type}  ${event.id}${copies}`;
}

export function textTrace(run: LocalRun): string {
    const { report } = run;
    const width = Math.max(0, ...report.consumers.map((c) => c.name.length));
    const dlqOf = new Map(report.consumers.map((c) => [c.name, c.deadLetterQueue.name]));
    const lines: string[] = [`Local run of stack ${report.stack} on the emulators: ${run.seconds.toFixed(1)} s`, "", "How it ran:"];
    lines.push(...run.notes.map((note) => `  ${note}`));
    lines.push("", ...run.scale);

    const regular = report.events.filter((e) => !e.poison);
    const poison = report.events.filter((e) => e.poison);
    lines.push("", `Events (${regular.length}), per consumer:`);
    for (const event of regular) {
        lines.push(`  ${eventHeading(event)}`);
        lines.push(...event.consumers.map((at) => `      ${atConsumer(at, width, false, dlqOf.get(at.name))}`));
    }
    if (poison.length > 0) {
        lines.push("", `Poison messages (${poison.length}):`);
        for (const event of poison) {
            lines.push(`  ${eventHeading(event)}`);
            lines.push(...event.consumers.map((at) => `      ${atConsumer(at, width, true, dlqOf.get(at.name))}`));
        }
    }
    const unmatched = regular.filter((e) => e.consumers.every((at) => at.received === 0 && at.expected !== true));
    lines.push("", `Events no filter matched: ${unmatched.length === 0 ? "none" : unmatched.map((e) => `${e.key} (${e.type})`).join(", ")}`);

    lines.push("", "Consumers:");
    for (const consumer of report.consumers) {
        lines.push(
            `  ${consumer.name.padEnd(width)}  ${consumer.kind.padEnd(6)}  received ${consumer.received} · processed ${consumer.processed} · ` +
                `duplicates skipped ${consumer.duplicatesSkipped} · dead-letter queue ${consumer.deadLetterQueue.name}: ${plural(consumer.deadLetterQueue.messages, "message")}`,
        );
    }
    for (const consumer of report.consumers.filter((c) => c.received === 0)) {
        lines.push(`  ! ${consumer.name} received no event at all: check its filter policy`);
    }

    lines.push("", "Not modelled here:", ...run.notModelled.map((item) => `  - ${item}`));
    lines.push("");
    if (report.verdict === "pass") {
        lines.push(
            "PASS: every event reached exactly the consumers whose filter matches it and each processed it once; " +
                "every poison message is in the dead-letter queue of each consumer that received it; no queue is left with messages.",
        );
    } else {
        lines.push(`FAIL (${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}):`, ...report.problems.map((p) => `  - ${p}`));
    }
    return lines.join("\n");
}
