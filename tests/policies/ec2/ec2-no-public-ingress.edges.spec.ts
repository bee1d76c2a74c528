import assert from "node:assert/strict";
import { ec2NoPublicIngress } from "../../../policies/ec2/ec2-no-public-ingress";
import { UNKNOWN, validateResource } from "../harness";

describe("ec2-no-public-ingress: sources that are not known strings", () => {
    for (const other of [UNKNOWN, 42, null]) {
        it(`judges 0.0.0.0/0 next to a source ${JSON.stringify(other)} (which is skipped, not read)`, async () => {
            const group = {
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [other, "0.0.0.0/0"] }] },
            };
            const violations = await validateResource(ec2NoPublicIngress, group);
            assert.equal(violations.length, 1, JSON.stringify(violations));
            assert.match(violations[0]!.message, /0\.0\.0\.0\/0/);
        });
    }
});

describe("ec2-no-public-ingress: the VPC's default security group", () => {
    it("is judged like any security group", async () => {
        const group = {
            type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
            props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
        };
        const violations = await validateResource(ec2NoPublicIngress, group);
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /^Security group ingress\[0\]/);
    });
});
