/**
 * The local pipeline on the real stack files: each stack's recorded topology on the emulators,
 * its real consumers, small numbers and times scaled so that each run takes a few seconds. The
 * two stacks run at the same time (each with its own emulators), as the runs share nothing.
 */
import assert from "node:assert/strict";
import { sharedStackRun } from "../../support/stack-runs";
import { type LocalRun, runLocal } from "../../../tools/local/run-local";
import type { EventReport } from "../../../tools/local/verdict";

/** Program seconds per local second: the Lambda queues' visibility timeouts (180 s dev, 360 s prod) become 1 s. */
const FAST = { dev: 180, prod: 360 } as const;

function at(event: EventReport, consumer: string) {
    const found = event.consumers.find((c) => c.name === consumer);
    assert.ok(found, `no entry for ${consumer} in ${event.key}`);
    return found;
}

describe("tools/local/run-local: a stack's events on the emulators", () => {
    const runs: Partial<Record<"dev" | "prod", LocalRun>> = {};

    before(async function () {
        this.timeout(90_000);
        const dev = await sharedStackRun("dev");
        const prod = await sharedStackRun("prod");
        const [devRun, prodRun] = await Promise.all([
            runLocal({ stack: "dev", programRun: dev, events: 6, duplicates: 2, poison: 1, timeScale: FAST.dev }),
            runLocal({ stack: "prod", programRun: prod, events: 6, duplicates: 2, poison: 1, timeScale: FAST.prod }),
        ]);
        runs.dev = devRun;
        runs.prod = prodRun;
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`passes on ${stack}, with no problem`, () => {
            const { report } = runs[stack]!;
            assert.deepEqual(report.problems, []);
            assert.equal(report.verdict, "pass");
            assert.equal(report.stack, stack);
        });
    }

    it("routes each event type as the filter policies say (dev: order-fulfilment gets order.* only)", () => {
        const { report } = runs.dev!;
        const events = report.events.filter((e) => !e.poison);
        assert.deepEqual([...new Set(events.map((e) => e.type))], ["order.created", "order.paid", "local.unmatched"]);
        for (const event of events) {
            assert.equal(at(event, "order-audit").processed, 1, `${event.key} at order-audit`);
            assert.equal(at(event, "order-fulfilment").received > 0, event.type !== "local.unmatched", `${event.key} at order-fulfilment`);
        }
    });

    it("processes each duplicated event once per consumer and skips the second copy through idempotency", () => {
        for (const stack of ["dev", "prod"] as const) {
            const duplicated = runs[stack]!.report.events.filter((e) => e.published === 2);
            assert.equal(duplicated.length, 2, stack);
            for (const event of duplicated) {
                for (const consumer of event.consumers.filter((c) => c.expected)) {
                    assert.equal(consumer.processed, 1, `${stack} ${event.key} at ${consumer.name}`);
                    assert.ok(consumer.received >= 2, `${stack} ${event.key} at ${consumer.name} received ${consumer.received}`);
                    assert.ok(consumer.duplicatesSkipped >= 1, `${stack} ${event.key} at ${consumer.name}`);
                }
            }
            const total = runs[stack]!.report.consumers.reduce((sum, c) => sum + c.duplicatesSkipped, 0);
            assert.ok(total >= 2, `${stack}: ${total} duplicates skipped`);
        }
    });

    it("moves the poison message to the dead-letter queue of the one consumer without a filter, after maxReceiveCount receives", () => {
        for (const stack of ["dev", "prod"] as const) {
            const { report } = runs[stack]!;
            const [poison] = report.events.filter((e) => e.poison);
            const audit = at(poison!, "order-audit");
            assert.equal(audit.inDeadLetterQueue, 1, stack);
            // Both stacks: order-audit's maxReceiveCount is 5 (the default, and prod's stack file).
            assert.equal(audit.received, 5, stack);
            assert.equal(audit.maxReceiveCount, 5, stack);
            assert.equal(at(poison!, "order-fulfilment").received, 0, stack);
            const consumer = report.consumers.find((c) => c.name === "order-audit")!;
            assert.deepEqual(consumer.deadLetterQueue, { name: "order-audit-dlq-6f5d680", messages: 1 });
        }
    });

    it("reports every consumer of the stack, with its kind, in the config's order", () => {
        assert.deepEqual(
            runs.prod!.report.consumers.map((c) => [c.name, c.kind]),
            [
                ["order-audit", "lambda"],
                ["order-fulfilment", "ecs"],
                ["invoice-render", "lambda"],
            ],
        );
        const render = runs.prod!.report.consumers.find((c) => c.name === "invoice-render")!;
        const paid = runs.prod!.report.events.filter((e) => e.type === "order.paid").length;
        assert.equal(render.processed, paid, "invoice-render processes each order.paid event, and nothing else");
    });

    it("states the scaled times and keeps the program's ratios where whole seconds allow", () => {
        const scale = runs.prod!.scale.join("\n");
        assert.match(scale, /scaled down 360:1/);
        assert.match(scale, /order-audit: visibility timeout: 360 s → 1 s/);
        assert.match(scale, /order-audit: function timeout: 60 s → 167 ms/);
        assert.match(scale, /order-fulfilment: visibility timeout: 60 s → 1 s \(rounded up/);
    });

    it("ends every Lambda execution environment it started", () => {
        for (const stack of ["dev", "prod"] as const) {
            const { processIds } = runs[stack]!;
            assert.ok(processIds.length > 0, stack);
            for (const pid of processIds) {
                assert.throws(() => process.kill(pid, 0), /ESRCH/, `${stack}: process ${pid} is still running`);
            }
        }
    });
});
