/**
 * A second `pulumi up` with an unchanged config must be a no-op: the program registers the same
 * resources with the same inputs every time (no timestamps, random values or ordering that
 * depends on timing in anything the engine diffs).
 */
import assert from "node:assert/strict";
import { ProgramRun } from "../tools/mock-runtime";
import { runStackFile, sharedStackRun } from "./support/stack-runs";

/** What the engine compares between two runs, keyed by URN (registration order is asynchronous). */
function registrations(run: ProgramRun): Map<string, unknown> {
    return new Map(
        run.resources.map((r) => [r.urn, { type: r.type, name: r.name, parent: r.parent, provider: r.provider, protect: r.protect, inputs: r.inputs }]),
    );
}

for (const stack of ["dev", "prod"]) {
    describe(`determinism: ${stack} run twice on the same config`, () => {
        let first: ProgramRun;
        let second: ProgramRun;

        before(async () => {
            first = await sharedStackRun(stack);
            second = await runStackFile(stack);
        });

        it("registers the same set of URNs, each once", () => {
            const urns = first.resources.map((r) => r.urn);
            assert.equal(new Set(urns).size, urns.length, "a URN was registered twice");
            assert.deepEqual(second.resources.map((r) => r.urn).sort(), [...urns].sort());
        });

        it("registers every resource with the same type, name, parent, provider and inputs", () => {
            const before = registrations(first);
            const after = registrations(second);
            for (const [urn, registration] of before) {
                assert.deepEqual(after.get(urn), registration, urn);
            }
        });

        it("exports the same outputs", () => {
            assert.deepEqual(second.outputs, first.outputs);
        });
    });
}
