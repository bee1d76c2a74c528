/**
 * Deliberately broken variants of the dev stack that the local run's verdict must catch, each a
 * change to the recorded resources — what a bug in the program would send to AWS: a filter policy
 * that drops an event type the config asks for, a consumer that fails every record, and a
 * consumer with idempotency disabled. They run at the same time, each on its own emulators.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import type { RecordedResource } from "../../../tools/mock-runtime";
import { type LocalRun, runLocal } from "../../../tools/local/run-local";
import { sharedStackRun } from "../../support/stack-runs";

const FAST = 180;

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

describe("tools/local/run-local: the verdict catches a broken pipeline", () => {
    let filterDrops: LocalRun;
    let failsEverything: LocalRun;
    let noIdempotency: LocalRun;

    before(async function () {
        this.timeout(90_000);
        const dev = await sharedStackRun("dev");
        [filterDrops, failsEverything, noIdempotency] = await Promise.all([
            runLocal({
                stack: "dev",
                programRun: dev,
                events: 4,
                duplicates: 0,
                poison: 0,
                timeScale: FAST,
                // The program would send a filter without order.paid, which the config asks for.
                mutate: changing("order-fulfilment-subscription", "aws:sns/topicSubscription:TopicSubscription", (inputs) => {
                    inputs.filterPolicy = JSON.stringify({ type: ["order.created"] });
                }),
            }),
            runLocal({
                stack: "dev",
                programRun: dev,
                events: 2,
                duplicates: 0,
                poison: 0,
                timeScale: FAST,
                mutate: changing("order-audit", "aws:lambda/function:Function", (inputs) => {
                    (inputs.code as { path: string }).path = path.relative(path.resolve(__dirname, "../../.."), path.join(__dirname, "fixtures", "failing-consumer"));
                }),
            }),
            runLocal({
                stack: "dev",
                programRun: dev,
                events: 3,
                duplicates: 2,
                poison: 0,
                timeScale: FAST,
                mutate: changing("order-audit", "aws:lambda/function:Function", (inputs) => {
                    (inputs.environment as { variables: Record<string, string> }).variables.POWERTOOLS_IDEMPOTENCY_DISABLED = "true";
                }),
            }),
        ]);
    });

    it("fails when a filter policy drops an event type the consumer should get, naming each event it never received", () => {
        const { report } = filterDrops;
        assert.equal(report.verdict, "fail");
        const paid = report.events.filter((e) => e.type === "order.paid");
        assert.ok(paid.length > 0);
        assert.deepEqual(
            report.problems,
            paid.map((e) => `event ${e.key} (order.paid, id ${e.id}) never reached order-fulfilment, although its filter matches it`),
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
});
