import assert from "node:assert/strict";
import { hasAncestorOfType, parseResourceUrn } from "../../../policies/lib/resource-urn";

describe("resource-urn", () => {
    it("reads stack, project, type chain and name", () => {
        assert.deepEqual(parseResourceUrn("urn:pulumi:dev::event-pipeline::awsx:ec2:Vpc$aws:ec2/eip:Eip::vpc-nat-1"), {
            stack: "dev",
            project: "event-pipeline",
            typeChain: ["awsx:ec2:Vpc", "aws:ec2/eip:Eip"],
            name: "vpc-nat-1",
        });
    });

    it("keeps a name that contains '::'", () => {
        assert.equal(parseResourceUrn("urn:pulumi:prod::p::aws:sqs/queue:Queue::a::b")?.name, "a::b");
    });

    it("rejects what is not a URN", () => {
        for (const value of [undefined, null, 42, "", "urn:pulumi:", "arn:aws:sqs:us-east-1:1:q", "urn:pulumi:dev::p"]) {
            assert.equal(parseResourceUrn(value), undefined, String(value));
        }
    });

    it("finds an ancestor type among the parents only", () => {
        assert.equal(hasAncestorOfType("urn:pulumi:dev::p::awsx:ec2:Vpc$aws:ec2/eip:Eip::nat", "awsx:ec2:Vpc"), true);
        assert.equal(hasAncestorOfType("urn:pulumi:dev::p::my:net:Network$awsx:ec2:Vpc$aws:ec2/eip:Eip::nat", "awsx:ec2:Vpc"), true);
        assert.equal(hasAncestorOfType("urn:pulumi:dev::p::aws:ec2/eip:Eip::fixed", "awsx:ec2:Vpc"), false);
        assert.equal(hasAncestorOfType("urn:pulumi:dev::p::awsx:ec2:Vpc::vpc", "awsx:ec2:Vpc"), false);
        assert.equal(hasAncestorOfType(undefined, "awsx:ec2:Vpc"), false);
    });
});

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
