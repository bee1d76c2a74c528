import assert from "node:assert/strict";
import { ec2NoPublicIngress } from "../../../policies/ec2/ec2-no-public-ingress";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

/** The pipeline's worker security group: egress only. */
function securityGroup(ingress: unknown = []): Fixture {
    return {
        type: "aws:ec2/securityGroup:SecurityGroup",
        props: {
            vpcId: UNKNOWN,
            ingress,
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
        },
    };
}

function groupRule(change: Record<string, unknown> = {}): Fixture {
    return {
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        props: { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"], securityGroupId: UNKNOWN, ...change },
    };
}

function ingressRule(change: Record<string, unknown> = {}): Fixture {
    return {
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        props: { ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: UNKNOWN, securityGroupId: UNKNOWN, ...change },
    };
}

const PUBLIC_SSH = { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] };
const WEB = { config: { allowedPublicPorts: [80, 443] } };

describe("ec2-no-public-ingress", () => {
    it("is named, described and mandatory", () => {
        assert.equal(ec2NoPublicIngress.name, "ec2-no-public-ingress");
        assert.match(ec2NoPublicIngress.description, /internet/);
        assert.equal(ec2NoPublicIngress.enforcementLevel, "mandatory");
        assert.deepEqual(ec2NoPublicIngress.configSchema?.properties?.allowedPublicPorts?.default, []);
    });

    describe("compliance", () => {
        it("an egress-only security group passes (egress to 0.0.0.0/0 is not judged)", async () => {
            assert.deepEqual(await validateResource(ec2NoPublicIngress, securityGroup()), []);
        });

        it("ingress from a private CIDR or another security group passes", async () => {
            assert.deepEqual(await validateResource(ec2NoPublicIngress, securityGroup([{ ...PUBLIC_SSH, cidrBlocks: ["10.0.0.0/16"] }])), []);
            assert.deepEqual(await validateResource(ec2NoPublicIngress, securityGroup([{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: ["sg-1"] }])), []);
            assert.deepEqual(await validateResource(ec2NoPublicIngress, groupRule()), []);
            assert.deepEqual(await validateResource(ec2NoPublicIngress, ingressRule()), []);
        });

        it("an egress security group rule to 0.0.0.0/0 passes", async () => {
            assert.deepEqual(await validateResource(ec2NoPublicIngress, groupRule({ type: "egress", protocol: "-1", cidrBlocks: ["0.0.0.0/0"] })), []);
        });

        it("public ingress on ports listed in allowedPublicPorts passes", async () => {
            const https = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] };
            assert.deepEqual(await validateResource(ec2NoPublicIngress, securityGroup([https]), WEB), []);
            assert.deepEqual(await validateResource(ec2NoPublicIngress, groupRule({ fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }), WEB), []);
            assert.deepEqual(await validateResource(ec2NoPublicIngress, ingressRule({ cidrIpv6: "::/0" }), WEB), []);
        });

        it("other resource types are not applicable", async () => {
            assert.deepEqual(await validateResource(ec2NoPublicIngress, { type: "aws:sqs/queue:Queue", props: { ingress: [PUBLIC_SSH] } }), []);
        });
    });

    describe("noncompliance", () => {
        it("inline ingress from 0.0.0.0/0", async () => {
            const violations = await validateResource(ec2NoPublicIngress, securityGroup([PUBLIC_SSH]));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /ingress\[0\] allows tcp port 22 from 0\.0\.0\.0\/0/);
            assert.match(violations[0].message, /allowedPublicPorts/);
        });

        it("inline ingress from ::/0", async () => {
            const rule = { protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] };
            assert.match((await validateResource(ec2NoPublicIngress, securityGroup([rule])))[0].message, /from ::\/0/);
        });

        it("an aws:ec2/securityGroupRule of type ingress", async () => {
            assert.equal((await validateResource(ec2NoPublicIngress, groupRule({ cidrBlocks: ["0.0.0.0/0"] }))).length, 1);
        });

        it("an aws:vpc/securityGroupIngressRule", async () => {
            assert.equal((await validateResource(ec2NoPublicIngress, ingressRule({ cidrIpv4: "0.0.0.0/0" }))).length, 1);
        });

        it("a port not in allowedPublicPorts", async () => {
            assert.equal((await validateResource(ec2NoPublicIngress, securityGroup([PUBLIC_SSH]), WEB)).length, 1);
        });

        it("a port range wider than allowedPublicPorts", async () => {
            const range = { protocol: "tcp", fromPort: 80, toPort: 8080, cidrBlocks: ["0.0.0.0/0"] };
            assert.match((await validateResource(ec2NoPublicIngress, securityGroup([range]), WEB))[0].message, /ports 80-8080/);
        });

        it("all traffic (-1), whatever the ports say", async () => {
            const all = { protocol: "-1", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] };
            assert.match((await validateResource(ec2NoPublicIngress, securityGroup([all]), WEB))[0].message, /all traffic on every port/);
            assert.equal((await validateResource(ec2NoPublicIngress, ingressRule({ ipProtocol: "-1", fromPort: undefined, toPort: undefined, cidrIpv4: "0.0.0.0/0" }), WEB)).length, 1);
        });

        it("ICMP from the internet is not admitted by a port allow-list", async () => {
            const ping = { protocol: "icmp", fromPort: 8, toPort: 0, cidrBlocks: ["0.0.0.0/0"] };
            assert.equal((await validateResource(ec2NoPublicIngress, securityGroup([ping]), WEB)).length, 1);
        });

        it("each public rule is reported", async () => {
            assert.equal((await validateResource(ec2NoPublicIngress, securityGroup([PUBLIC_SSH, { ...PUBLIC_SSH, fromPort: 3389, toPort: 3389 }]))).length, 2);
        });
    });

    describe("unknown values", () => {
        it("unknown sources, rule types and ingress lists never violate", async () => {
            for (const fixture of [
                securityGroup(UNKNOWN),
                securityGroup([{ ...PUBLIC_SSH, cidrBlocks: UNKNOWN }]),
                securityGroup([{ ...PUBLIC_SSH, cidrBlocks: [UNKNOWN] }]),
                securityGroup([UNKNOWN]),
                groupRule({ type: UNKNOWN, cidrBlocks: ["0.0.0.0/0"] }),
                ingressRule({ cidrIpv4: UNKNOWN }),
            ]) {
                assert.deepEqual(await validateResource(ec2NoPublicIngress, fixture), [], JSON.stringify(fixture.props));
            }
        });

        it("unknown ports on a public rule do not violate when some ports are allowed", async () => {
            const rule = { protocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN, cidrBlocks: ["0.0.0.0/0"] };
            assert.deepEqual(await validateResource(ec2NoPublicIngress, securityGroup([rule]), WEB), []);
            assert.deepEqual(await validateResource(ec2NoPublicIngress, securityGroup([{ ...rule, protocol: UNKNOWN }]), WEB), []);
        });

        it("with no port allowed, public ingress violates whatever its unknown ports", async () => {
            const rule = { protocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN, cidrBlocks: ["0.0.0.0/0"] };
            const violations = await validateResource(ec2NoPublicIngress, securityGroup([rule]));
            assert.equal(violations.length, 1);
            assert.doesNotMatch(violations[0].message, /can't run/);
        });
    });

    describe("malformed values", () => {
        it("wrong types and null never throw", async () => {
            for (const ingress of [null, "0.0.0.0/0", 42, [null, "x", { cidrBlocks: "0.0.0.0/0" }], { cidrBlocks: ["0.0.0.0/0"] }]) {
                await validateResource(ec2NoPublicIngress, securityGroup(ingress));
            }
            await validateResource(ec2NoPublicIngress, groupRule({ fromPort: "x", toPort: null, protocol: {} , cidrBlocks: ["0.0.0.0/0"] }));
            await validateResource(ec2NoPublicIngress, securityGroup([PUBLIC_SSH]), { config: { allowedPublicPorts: "443" } });
        });

        it("a single public CIDR string instead of a list still counts", async () => {
            assert.equal((await validateResource(ec2NoPublicIngress, securityGroup([{ ...PUBLIC_SSH, cidrBlocks: "0.0.0.0/0" }]))).length, 1);
        });
    });
});

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
