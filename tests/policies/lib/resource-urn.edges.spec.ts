import assert from "node:assert/strict";
import { parseResourceUrn } from "../../../policies/lib/resource-urn";

describe("parseResourceUrn: URNs missing a part", () => {
    for (const urn of [
        "urn:other:dev::p::aws:sqs/queue:Queue::q", // not Pulumi's scheme
        "urn:pulumi:::p::aws:sqs/queue:Queue::q", // no stack
        "urn:pulumi:dev", // no project
        "urn:pulumi:dev::p::::q", // no type
        "urn:pulumi:dev::p::aws:sqs/queue:Queue", // no name
    ]) {
        it(`rejects ${urn}`, () => {
            assert.equal(parseResourceUrn(urn), undefined);
        });
    }

    it("accepts an empty project, which Pulumi does not forbid in a URN", () => {
        assert.deepEqual(parseResourceUrn("urn:pulumi:dev::::aws:sqs/queue:Queue::q"), { stack: "dev", project: "", typeChain: ["aws:sqs/queue:Queue"], name: "q" });
    });
});
