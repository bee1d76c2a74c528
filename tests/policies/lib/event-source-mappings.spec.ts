import assert from "node:assert/strict";
import type { PolicyResource } from "@pulumi/policy";
import { mappingFunction } from "../../../policies/lib/event-source-mappings";
import { Reference, StackIndex } from "../../../policies/lib/stack";
import { UNKNOWN } from "../harness";

describe("policies/lib/event-source-mappings", () => {
    describe("mappingFunction: functionName first, then functionArn", () => {
        const FN = "aws:lambda/function:Function";
        const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
        const arn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
        const fn = (name: string) => ({ type: FN, urn: `urn:pulumi:dev::p::${FN}::${name}`, name, props: { name, arn: arn(name) } });
        const mapping = (props: Record<string, unknown>) => ({ type: MAPPING, urn: `urn:pulumi:dev::p::${MAPPING}::m`, name: "m", props, propertyDependencies: {} });
        const resolveWith = (props: Record<string, unknown>) => {
            const index = StackIndex.of([fn("a"), fn("b"), mapping(props)] as unknown as PolicyResource[]);
            return mappingFunction(index, index.byUrn(`urn:pulumi:dev::p::${MAPPING}::m`)!);
        };
        const names = (reference: Reference) => (reference.kind === "resources" ? reference.targets.map((t) => t.name) : reference.kind);

        it("a functionName that names a function wins over the functionArn", () => {
            assert.deepEqual(names(resolveWith({ functionName: "a", functionArn: arn("b") })), ["a"]);
        });

        it("the functionArn resolves a functionName that names nothing here", () => {
            assert.deepEqual(names(resolveWith({ functionName: "elsewhere", functionArn: arn("b") })), ["b"]);
        });

        it("the functionArn is a property like any: unknown, its dependencies decide", () => {
            const index = StackIndex.of([
                fn("a"),
                { ...mapping({ functionName: "elsewhere", functionArn: UNKNOWN }), propertyDependencies: { functionArn: [fn("a")] } },
            ] as unknown as PolicyResource[]);
            const reference = mappingFunction(index, index.byUrn(`urn:pulumi:dev::p::${MAPPING}::m`)!);
            assert.deepEqual(names(reference), ["a"]);
        });

        it("when neither names a function here, the functionName's verdict stands", () => {
            assert.deepEqual(resolveWith({ functionName: UNKNOWN, functionArn: arn("elsewhere") }), { kind: "unresolved" });
        });
    });
});
