import assert from "node:assert/strict";
import type { LocalRun } from "../../../tools/local/run-local";
import { textTrace } from "../../../tools/local/trace";
import type { EventAtConsumer, LocalReport } from "../../../tools/local/verdict";

function at(name: string, fields: Partial<EventAtConsumer>): EventAtConsumer {
    return { name, expected: true, received: 1, processed: 1, withoutHandler: 0, duplicatesSkipped: 0, retried: 0, inDeadLetterQueue: 0, maxReceiveCount: 1, ...fields };
}

function run(report: Partial<LocalReport>): LocalRun {
    return {
        report: { stack: "dev", verdict: "pass", problems: [], events: [], consumers: [], ...report },
        scale: ["Times scaled down 60:1 (…):"],
        notes: ["order-audit: Lambda function …"],
        notModelled: ["IAM: every call is allowed."],
        processIds: [],
        seconds: 12.34,
    };
}

const consumers: LocalReport["consumers"] = [
    { name: "order-audit", kind: "lambda", received: 3, processed: 1, duplicatesSkipped: 1, deadLetterQueue: { name: "order-audit-dlq", messages: 1 } },
    { name: "invoice-render", kind: "lambda", received: 0, processed: 0, duplicatesSkipped: 0, deadLetterQueue: { name: "invoice-render-dlq", messages: 0 } },
];

describe("tools/local/trace: the trace a person reads", () => {
    const passing = textTrace(
        run({
            consumers,
            events: [
                {
                    id: "id-1",
                    key: "e1",
                    type: "order.created",
                    poison: false,
                    published: 2,
                    consumers: [at("order-audit", { received: 2, duplicatesSkipped: 1 }), at("invoice-render", { expected: false, received: 0, processed: 0 })],
                },
                {
                    id: "id-2",
                    key: "e2",
                    type: "local.unmatched",
                    poison: false,
                    published: 1,
                    consumers: [at("order-audit", { expected: false, received: 0, processed: 0 }), at("invoice-render", { expected: false, received: 0, processed: 0 })],
                },
                {
                    id: "p1",
                    key: "p1",
                    type: null,
                    poison: true,
                    published: 1,
                    consumers: [at("order-audit", { received: 5, processed: 0, retried: 5, inDeadLetterQueue: 1, maxReceiveCount: 5 }), at("invoice-render", { expected: false, received: 0, processed: 0 })],
                },
            ],
        }),
    ).split("\n");

    it("shows per event which consumers received it, how often, with what result", () => {
        assert.ok(passing.includes("  e1  order.created  id-1  published twice (1 exact duplicate)"), passing.join("\n"));
        assert.ok(passing.includes("      order-audit     received twice · processed once · duplicate skipped 1"), passing.join("\n"));
        assert.ok(passing.includes("      invoice-render  – filtered out"));
    });

    it("shows each poison message's dead-letter queue and receives", () => {
        assert.ok(passing.includes("      order-audit     received 5 times · failed each time · → in order-audit-dlq after 5 receives"), passing.join("\n"));
    });

    it("lists the events no filter matched and flags a consumer that received no event at all", () => {
        assert.ok(passing.includes("Events no filter matched: e2 (local.unmatched)"));
        assert.ok(passing.includes("  ! invoice-render received no event at all: check its filter policy"));
    });

    it("states the time scale, what is not modelled, and the verdict", () => {
        assert.equal(passing[0], "Local run of stack dev on the emulators: 12.3 s");
        assert.ok(passing.includes("Times scaled down 60:1 (…):"));
        assert.ok(passing.includes("  - IAM: every call is allowed."));
        assert.match(passing[passing.length - 1]!, /^PASS: every event reached exactly the consumers whose filter matches it/);
    });

    it("marks what breaks the verdict and lists the problems", () => {
        const failing = textTrace(
            run({
                verdict: "fail",
                problems: ["order-audit processed event e1 twice", "event e2 never reached invoice-render"],
                consumers,
                events: [
                    {
                        id: "id-1",
                        key: "e1",
                        type: "order.created",
                        poison: false,
                        published: 2,
                        consumers: [at("order-audit", { received: 2, processed: 2 }), at("invoice-render", { received: 0, processed: 0 })],
                    },
                ],
            }),
        ).split("\n");
        assert.ok(failing.includes("      order-audit     received twice · processed twice  ✗"), failing.join("\n"));
        assert.ok(failing.includes("      invoice-render  ✗ never received, although its filter matches"));
        assert.deepEqual(failing.slice(-3), ["FAIL (2 problems):", "  - order-audit processed event e1 twice", "  - event e2 never reached invoice-render"]);
    });
});
