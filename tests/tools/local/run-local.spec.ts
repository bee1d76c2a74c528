/**
 * The local pipeline on the real stack files: each stack's recorded topology on the emulators,
 * its real consumers, small numbers and times scaled so that each run takes a few seconds — and
 * deliberately broken variants of dev that the verdict must catch, each a change to the recorded
 * resources (what a bug in the program would send to AWS): a filter policy that drops an event
 * type the config asks for, a consumer that fails every record, a consumer with idempotency
 * disabled. All five runs go at the same time, each on its own emulators, as they share nothing.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import type { RecordedResource } from "../../../tools/mock-runtime";
import { type LocalRun, runLocal } from "../../../tools/local/run-local";
import { textTrace } from "../../../tools/local/trace";
import type { EventReport } from "../../../tools/local/verdict";
import { sharedStackRun } from "../../support/stack-runs";

/** Program seconds per local second: the Lambda queues' visibility timeouts (180 s dev, 360 s prod) become 1 s. */
const FAST = { dev: 180, prod: 360 } as const;

/** The resources with one of them changed; the shared run itself stays untouched. */
function changing(name: string, type: string, change: (inputs: Record<string, unknown>) => void) {
    return (resources: RecordedResource[]) => {
        const target = resources.find((r) => r.name === name && r.type === type);
        assert.ok(target, `no ${type} ${name} in the recorded run`);
        return resources.map((r) => {
            if (r !== target) {
                return r;
            }
            const copy = structuredClone(r);
            change(copy.inputs);
            return copy;
        });
    };
}

function at(event: EventReport, consumer: string) {
    const found = event.consumers.find((c) => c.name === consumer);
    assert.ok(found, `no entry for ${consumer} in ${event.key}`);
    return found;
}

interface Runs {
    dev: LocalRun;
    prod: LocalRun;
    filterDrops: LocalRun;
    failsEverything: LocalRun;
    noIdempotency: LocalRun;
}

let started: Promise<Runs> | undefined;

/** The five runs, started once for the file's two suites. */
function allRuns(): Promise<Runs> {
    started ??= (async () => {
        const dev = await sharedStackRun("dev");
        const prod = await sharedStackRun("prod");
        const fast = { programRun: dev, timeScale: FAST.dev };
        const [devRun, prodRun, filterDrops, failsEverything, noIdempotency] = await Promise.all([
            runLocal({ stack: "dev", ...fast, events: 6, duplicates: 2, poison: 1 }),
            runLocal({ stack: "prod", programRun: prod, events: 6, duplicates: 2, poison: 1, timeScale: FAST.prod }),
            runLocal({
                stack: "dev",
                ...fast,
                events: 4,
                duplicates: 0,
                poison: 0,
                // The program would send a filter without order.paid, which the config asks for, and
                // give the table a TTL attribute the consumers do not write.
                mutate: (resources) =>
                    changing("idempotency", "aws:dynamodb/table:Table", (inputs) => {
                        inputs.ttl = { attributeName: "expiresAt", enabled: true };
                    })(
                        changing("order-fulfilment-subscription", "aws:sns/topicSubscription:TopicSubscription", (inputs) => {
                            inputs.filterPolicy = JSON.stringify({ type: ["order.created"] });
                        })(resources),
                    ),
            }),
            runLocal({
                stack: "dev",
                ...fast,
                events: 2,
                duplicates: 0,
                poison: 0,
                mutate: changing("order-audit", "aws:lambda/function:Function", (inputs) => {
                    (inputs.code as { path: string }).path = path.relative(path.resolve(__dirname, "../../.."), path.join(__dirname, "fixtures", "failing-consumer"));
                }),
            }),
            runLocal({
                stack: "dev",
                ...fast,
                events: 3,
                duplicates: 2,
                poison: 0,
                mutate: changing("order-audit", "aws:lambda/function:Function", (inputs) => {
                    (inputs.environment as { variables: Record<string, string> }).variables.POWERTOOLS_IDEMPOTENCY_DISABLED = "true";
                }),
            }),
        ]);
        return { dev: devRun, prod: prodRun, filterDrops, failsEverything, noIdempotency };
    })();
    return started;
}

describe("tools/local/run-local: a stack's events on the emulators", () => {
    const runs: Partial<Record<"dev" | "prod", LocalRun>> = {};

    before(async function () {
        this.timeout(90_000);
        ({ dev: runs.dev, prod: runs.prod } = await allRuns());
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

    it("prints a trace of dev a person can follow, ending in PASS", () => {
        const text = textTrace(runs.dev!);
        assert.match(text, /^Local run of stack dev on the emulators: \d+\.\d s$/m);
        assert.match(text, /^ {6}order-fulfilment +– filtered out$/m);
        assert.match(text, /^ {6}order-audit +received 5 times · failed each time · → in order-audit-dlq-6f5d680 after 5 receives$/m);
        assert.match(text, /^Events no filter matched: none$/m);
        assert.match(text, /^Not modelled here:$/m);
        assert.match(text, /\nPASS: every event reached exactly the consumers whose filter matches it/);
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

describe("tools/local/run-local: the verdict catches a broken pipeline", () => {
    let filterDrops: LocalRun;
    let failsEverything: LocalRun;
    let noIdempotency: LocalRun;

    before(async function () {
        this.timeout(90_000);
        ({ filterDrops, failsEverything, noIdempotency } = await allRuns());
    });

    it("fails when a filter policy drops an event type the consumer should get, naming each event it never received", () => {
        const { report } = filterDrops;
        assert.equal(report.verdict, "fail");
        const paid = report.events.filter((e) => e.type === "order.paid");
        assert.ok(paid.length > 0);
        assert.deepEqual(
            report.problems.filter((p) => !p.includes("TTL")),
            paid.map((e) => `event ${e.key} (order.paid, id ${e.id}) never reached order-fulfilment, although its filter matches it`),
        );
    });

    it("fails when the idempotency table's TTL attribute is not the one the consumers write: DynamoDB would keep every record", () => {
        const { report } = filterDrops;
        assert.deepEqual(
            report.problems.filter((p) => p.includes("TTL")),
            [`6 of 6 records in idempotency-260ca18 carry no "expiresAt" in epoch seconds: its TTL would never delete them`],
        );
    });

    it("fails when a handler fails every record: each event is in the dead-letter queue, processed by no one", () => {
        const { report } = failsEverything;
        assert.equal(report.verdict, "fail");
        const audit = report.consumers.find((c) => c.name === "order-audit")!;
        assert.equal(audit.processed, 0);
        assert.equal(audit.deadLetterQueue.messages, 2);
        for (const event of report.events) {
            assert.ok(
                report.problems.includes(`order-audit processed event ${event.key} (${event.type}, id ${event.id}) 0 times instead of once; it is in the dead-letter queue after 5 receives`),
                report.problems.join("\n"),
            );
        }
        // The other consumer is unaffected.
        assert.ok(report.problems.every((p) => !p.includes("order-fulfilment")), report.problems.join("\n"));
    });

    it("fails when idempotency is disabled: a duplicate is processed twice", () => {
        const { report } = noIdempotency;
        assert.equal(report.verdict, "fail");
        const duplicated = report.events.filter((e) => e.published === 2);
        assert.equal(duplicated.length, 2);
        assert.deepEqual(
            report.problems,
            duplicated.map((e) => `order-audit processed event ${e.key} (${e.type}, id ${e.id}) 2 times instead of once`),
        );
        assert.equal(report.consumers.find((c) => c.name === "order-audit")!.duplicatesSkipped, 0);
    });

    it("ends every Lambda execution environment it started on a failed run too", () => {
        for (const [name, run] of Object.entries({ filterDrops, failsEverything, noIdempotency })) {
            assert.ok(run.processIds.length > 0, name);
            for (const pid of run.processIds) {
                assert.throws(() => process.kill(pid, 0), /ESRCH/, `${name}: process ${pid} is still running`);
            }
        }
    });

    it("shows the failure in the trace: FAIL, each problem, and ✗ where it happened", () => {
        const text = textTrace(noIdempotency).split("\n");
        assert.ok(text.some((line) => /^ {6}order-audit +received twice · processed twice {2}✗$/.test(line)), text.join("\n"));
        assert.equal(text[text.length - 3], "FAIL (2 problems):");
    });
});
