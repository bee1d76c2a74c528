import assert from "node:assert/strict";
import type { PolicyResource } from "@pulumi/policy";
import { StackIndex } from "../../../policies/lib/stack";
import { UNKNOWN } from "../harness";

const QUEUE = "aws:sqs/queue:Queue";
const urn = (name: string) => `urn:pulumi:dev::p::${QUEUE}::${name}`;

/** A resource as the engine might send it, fields possibly missing. */
const resource = (fields: Record<string, unknown>) => fields as unknown as PolicyResource;

describe("StackIndex: resources as the engine sends them", () => {
    it("indexes a resource's own name, else the last part of its URN, else nothing", () => {
        const index = StackIndex.of([
            resource({ type: QUEUE, urn: urn("from-urn"), name: "own-name", props: {} }),
            resource({ type: QUEUE, urn: urn("from-urn-2"), props: {} }),
            resource({ props: {} }),
        ]);
        assert.deepEqual(
            index.all.map((r) => [r.type, r.urn, r.name]),
            [
                [QUEUE, urn("from-urn"), "own-name"],
                [QUEUE, urn("from-urn-2"), "from-urn-2"],
                ["", "", ""],
            ],
        );
    });

    it("resolves an unknown value through dependencies, skipping entries that are not resources", () => {
        const dlq = resource({ type: QUEUE, urn: urn("dlq"), name: "dlq", props: {} });
        const queue = resource({ type: QUEUE, urn: urn("queue"), name: "queue", props: { redrivePolicy: UNKNOWN }, propertyDependencies: { redrivePolicy: [null, { urn: 42 }, dlq] } });
        const index = StackIndex.of([dlq, queue]);
        const reference = index.resolve(index.byUrn(urn("queue"))!, "redrivePolicy", UNKNOWN, [QUEUE]);
        assert.deepEqual(reference.kind === "resources" ? reference.targets.map((t) => t.name) : reference, ["dlq"]);
    });

    for (const propertyDependencies of [undefined, null, "redrivePolicy"]) {
        it(`treats propertyDependencies = ${JSON.stringify(propertyDependencies)} as none: the unknown value is unresolved`, () => {
            const queue = resource({ type: QUEUE, urn: urn("queue"), name: "queue", props: { redrivePolicy: UNKNOWN }, propertyDependencies });
            const index = StackIndex.of([queue]);
            assert.deepEqual(index.resolve(index.byUrn(urn("queue"))!, "redrivePolicy", UNKNOWN, [QUEUE]), { kind: "unresolved" });
        });
    }
});
