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

describe("ec2-no-public-ingress: protocols and ports", () => {
    const publicRule = (rule: Record<string, unknown>) => ({
        type: "aws:ec2/securityGroup:SecurityGroup",
        props: { ingress: [{ cidrBlocks: ["0.0.0.0/0"], ...rule }] },
    });
    const WEB = { config: { allowedPublicPorts: [80, 443] } };
    const messageOf = async (rule: Record<string, unknown>, run = {}) => {
        const violations = await validateResource(ec2NoPublicIngress, publicRule(rule), run);
        assert.equal(violations.length, 1, JSON.stringify(violations));
        return violations[0]!.message;
    };

    it("names what is open: all traffic, a protocol number, a port, a range, any protocol", async () => {
        assert.match(await messageOf({ protocol: "all", fromPort: 0, toPort: 0 }), /^Security group ingress\[0\] allows all traffic on every port from 0\.0\.0\.0\/0, the whole internet\. Limit the source to known CIDR blocks, a security group or a prefix list \(put public endpoints behind a load balancer\), or, if this port must be public, add it to this policy's allowedPublicPorts\.$/);
        assert.match(await messageOf({ protocol: " TCP ", fromPort: 22, toPort: 22 }), /allows tcp port 22 from/);
        assert.match(await messageOf({ protocol: 6, fromPort: 22, toPort: 22 }), /allows 6 port 22 from/);
        assert.match(await messageOf({ protocol: "17", fromPort: 5000, toPort: 5010 }), /allows 17 ports 5000-5010 from/);
        assert.match(await messageOf({ protocol: "udp", fromPort: 5010, toPort: 5000 }), /allows udp ports 5000-5010 from/);
        assert.match(await messageOf({ protocol: "", fromPort: 22, toPort: 22 }), /allows any protocol on every port from/);
        assert.match(await messageOf({ protocol: "tcp", fromPort: -1, toPort: 22 }), /allows tcp on every port from/);
        assert.match(await messageOf({ fromPort: 22, toPort: 22 }), /allows any protocol on every port from/);
    });

    it("names every public source of a rule", async () => {
        assert.match(await messageOf({ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] }), /allows tcp port 22 from 0\.0\.0\.0\/0 and ::\/0, the whole internet\./);
    });

    it("TCP and UDP by name or number are judged by their ports", async () => {
        for (const protocol of ["tcp", "udp", "6", "17", 6]) {
            assert.deepEqual(await validateResource(ec2NoPublicIngress, publicRule({ protocol, fromPort: 443, toPort: 443 }), WEB), [], String(protocol));
        }
    });

    it("one unknown port bound is enough not to judge the ports", async () => {
        assert.deepEqual(await validateResource(ec2NoPublicIngress, publicRule({ protocol: "tcp", fromPort: UNKNOWN, toPort: 443 }), WEB), []);
        assert.deepEqual(await validateResource(ec2NoPublicIngress, publicRule({ protocol: "tcp", fromPort: 443, toPort: UNKNOWN }), WEB), []);
    });

    it("allowedPublicPorts entries that are not numbers allow nothing", async () => {
        const run = { config: { allowedPublicPorts: ["http", null] } };
        assert.equal((await validateResource(ec2NoPublicIngress, publicRule({ protocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN }), run)).length, 1);
    });

    it("labels each kind of rule", async () => {
        const rule = await validateResource(ec2NoPublicIngress, {
            type: "aws:ec2/securityGroupRule:SecurityGroupRule",
            props: { type: "INGRESS", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
        });
        assert.match(rule[0]!.message, /^Security group rule allows tcp port 22/);
        const ingress = await validateResource(ec2NoPublicIngress, {
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv6: " ::/0 " },
        });
        assert.match(ingress[0]!.message, /^Security group ingress rule allows tcp port 22 from /);
    });
});

describe("ec2-no-public-ingress: port ranges at their bounds", () => {
    const publicTcp = (fromPort: number, toPort: number) => ({
        type: "aws:ec2/securityGroup:SecurityGroup",
        props: { ingress: [{ protocol: "tcp", fromPort, toPort, cidrBlocks: ["0.0.0.0/0"] }] },
    });
    const messageOf = async (fromPort: number, toPort: number) => (await validateResource(ec2NoPublicIngress, publicTcp(fromPort, toPort)))[0]!.message;

    it("0-65535 is every port; a range starting at 0 or ending at 65535 is not", async () => {
        assert.match(await messageOf(0, 65535), /allows tcp on every port from/);
        assert.match(await messageOf(0, 100), /allows tcp ports 0-100 from/);
        assert.match(await messageOf(100, 65535), /allows tcp ports 100-65535 from/);
    });

    it("a negative bound at either end opens every port", async () => {
        assert.match(await messageOf(22, -1), /allows tcp on every port from/);
        assert.match(await messageOf(-1, 22), /allows tcp on every port from/);
        assert.match(await messageOf(100, 0), /allows tcp ports 0-100 from/);
    });

    it("unknown ports with no port allowed: the message speaks of ingress", async () => {
        const group = { type: "aws:ec2/securityGroup:SecurityGroup", props: { ingress: [{ protocol: "tcp", fromPort: UNKNOWN, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] } };
        assert.match((await validateResource(ec2NoPublicIngress, group))[0]!.message, /^Security group ingress\[0\] allows ingress from 0\.0\.0\.0\/0, the whole internet\./);
    });

    it("a single allowed port admits exactly that port", async () => {
        const run = { config: { allowedPublicPorts: [443] } };
        assert.deepEqual(await validateResource(ec2NoPublicIngress, publicTcp(443, 443), run), []);
        assert.equal((await validateResource(ec2NoPublicIngress, publicTcp(443, 444), run)).length, 1);
        assert.equal((await validateResource(ec2NoPublicIngress, publicTcp(442, 443), run)).length, 1);
    });
});
