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
