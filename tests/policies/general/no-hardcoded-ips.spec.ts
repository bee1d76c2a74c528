import assert from "node:assert/strict";
import { noHardcodedIps } from "../../../policies/general/no-hardcoded-ips";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

/** A worker task definition and a function as the program builds them: no address anywhere. */
function taskDefinition(containers: unknown[] = [worker()]): Fixture {
    return {
        type: "aws:ecs/taskDefinition:TaskDefinition",
        props: { family: "orders-consumer", cpu: "256", memory: "512", containerDefinitions: JSON.stringify(containers) },
    };
}

function worker(environment: { name: string; value: string }[] = [{ name: "QUEUE_URL", value: "https://sqs.us-east-1.amazonaws.com/123456789012/orders" }]) {
    return { name: "worker", image: "public.ecr.aws/docker/library/node:22.11.0-alpine", environment };
}

function lambda(variables: Record<string, unknown> = { QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/orders" }): Fixture {
    return {
        type: "aws:lambda/function:Function",
        props: { runtime: "nodejs22.x", handler: "index.handler", environment: { variables }, description: "version 10.20.3" },
    };
}

function messages(violations: { message: string }[]): string[] {
    return violations.map((v) => v.message);
}

describe("no-hardcoded-ips", () => {
    it("is named, described and mandatory", () => {
        assert.equal(noHardcodedIps.name, "no-hardcoded-ips");
        assert.match(noHardcodedIps.description, /IP addresses/);
        assert.equal(noHardcodedIps.enforcementLevel, "mandatory");
        assert.deepEqual(noHardcodedIps.configSchema?.properties?.allowedCidrs?.default, []);
    });

    describe("compliance", () => {
        it("a function and a task definition without addresses pass", async () => {
            assert.deepEqual(await validateResource(noHardcodedIps, lambda()), []);
            assert.deepEqual(await validateResource(noHardcodedIps, taskDefinition()), []);
        });

        it("0.0.0.0/0 and ::/0 pass (an egress-only security group)", async () => {
            const securityGroup: Fixture = {
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }] },
            };
            assert.deepEqual(await validateResource(noHardcodedIps, securityGroup), []);
        });

        it("the unspecified bind address 0.0.0.0 passes", async () => {
            assert.deepEqual(await validateResource(noHardcodedIps, lambda({ HOST: "0.0.0.0" })), []);
        });

        it("the CIDR blocks of a VPC and a subnet pass", async () => {
            const vpc: Fixture = { type: "aws:ec2/vpc:Vpc", props: { cidrBlock: "10.0.0.0/16", ipv6CidrBlock: "2001:db8::/56" } };
            const subnet: Fixture = { type: "aws:ec2/subnet:Subnet", props: { cidrBlock: "10.0.1.0/24", vpcId: UNKNOWN } };
            assert.deepEqual(await validateResource(noHardcodedIps, vpc), []);
            assert.deepEqual(await validateResource(noHardcodedIps, subnet), []);
        });

        it("addresses inside config allowedCidrs pass", async () => {
            const run = { config: { allowedCidrs: ["203.0.113.0/24", "2001:db8::/32", "not a cidr"] } };
            assert.deepEqual(await validateResource(noHardcodedIps, lambda({ PARTNER: "203.0.113.9", V6: "2001:db8::9" }), run), []);
        });

        it("versions, image tags, ARNs, decimals and timestamps pass", async () => {
            const fixture = lambda({
                VERSION: "10.20.3",
                IMAGE: "node:22.11.0",
                ROLE: "arn:aws:iam::123456789012:role/worker",
                RATIO: "0.75",
                SINCE: "2026-11-02T10:20:30.123Z",
                DIGEST: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            });
            assert.deepEqual(await validateResource(noHardcodedIps, fixture), []);
        });
    });

    describe("noncompliance", () => {
        it("a bare IPv4 address in an environment variable", async () => {
            const violations = await validateResource(noHardcodedIps, lambda({ DB_HOST: "10.0.12.7" }));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /'environment\.variables\.DB_HOST'.*'10\.0\.12\.7'/);
            assert.match(violations[0].message, /allowedCidrs/);
        });

        it("an address in a URL with a port", async () => {
            assert.match(messages(await validateResource(noHardcodedIps, lambda({ API: "http://192.168.1.20:8080/v1" })))[0], /192\.168\.1\.20/);
        });

        it("an IPv6 address, bracketed with a port", async () => {
            assert.match(messages(await validateResource(noHardcodedIps, lambda({ API: "https://[2001:db8::7]:443/" })))[0], /2001:db8::7/);
        });

        it("a CIDR block on a resource that is not a VPC or subnet", async () => {
            const rule: Fixture = {
                type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                props: { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] },
            };
            assert.match(messages(await validateResource(noHardcodedIps, rule))[0], /'cidrBlocks\[0\]'.*'10\.0\.0\.0\/8'/);
        });

        it("an address inside a JSON string (container definitions), with its path", async () => {
            const fixture = taskDefinition([worker([{ name: "UPSTREAM", value: "172.16.0.5:5432" }])]);
            assert.match(messages(await validateResource(noHardcodedIps, fixture))[0], /'containerDefinitions\[0\]\.environment\[0\]\.value'.*'172\.16\.0\.5'/);
        });

        it("an address in an IAM condition inside a policy document", async () => {
            const policy: Fixture = {
                type: "aws:iam/policy:Policy",
                props: {
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "198.51.100.0/24" } } }],
                    }),
                },
            };
            assert.match(messages(await validateResource(noHardcodedIps, policy))[0], /Condition\.IpAddress\.aws:SourceIp.*198\.51\.100\.0\/24/);
        });

        it("a VPC's non-CIDR properties are still checked", async () => {
            const vpc: Fixture = { type: "aws:ec2/vpc:Vpc", props: { cidrBlock: "10.0.0.0/16", tags: { Gateway: "10.0.0.1" } } };
            assert.equal((await validateResource(noHardcodedIps, vpc)).length, 1);
        });

        it("an address outside config allowedCidrs", async () => {
            const run = { config: { allowedCidrs: ["203.0.113.0/24"] } };
            assert.equal((await validateResource(noHardcodedIps, lambda({ PARTNER: "203.0.114.9" }), run)).length, 1);
        });

        it("each distinct literal is reported once", async () => {
            const violations = await validateResource(noHardcodedIps, lambda({ HOSTS: "10.0.0.1,10.0.0.2,10.0.0.1" }));
            assert.equal(violations.length, 2);
        });
    });

    describe("unknown values", () => {
        it("unknown strings, arrays and objects never violate and never escape", async () => {
            const fixture = lambda({ DB_HOST: UNKNOWN });
            fixture.props.vpcConfig = UNKNOWN;
            fixture.props.layers = [UNKNOWN];
            const violations = await validateResource(noHardcodedIps, fixture);
            assert.deepEqual(violations, []);
        });
    });

    describe("malformed values", () => {
        it("non-JSON strings that look like JSON, wrong types and null never throw", async () => {
            for (const containerDefinitions of ["[{", "{not json", 42, null, true, [[["deep"]]]]) {
                const fixture = taskDefinition();
                fixture.props.containerDefinitions = containerDefinitions;
                assert.deepEqual(await validateResource(noHardcodedIps, fixture), [], String(containerDefinitions));
            }
        });

        it("a malformed allowedCidrs config is ignored", async () => {
            const run = { config: { allowedCidrs: "10.0.0.0/8" } };
            assert.equal((await validateResource(noHardcodedIps, lambda({ DB_HOST: "10.0.12.7" }), run)).length, 1);
        });

        it("a JSON string that is not JSON is scanned as text", async () => {
            assert.equal((await validateResource(noHardcodedIps, lambda({ RAW: "[10.0.0.1" }))).length, 1);
        });
    });
});

const lambdaWith = (variables: Record<string, string>) => ({
    type: "aws:lambda/function:Function",
    props: { runtime: "nodejs22.x", handler: "index.handler", environment: { variables } },
});

describe("no-hardcoded-ips: allowedCidrs entries that are not text", () => {
    it("skips them and still applies the text entries", async () => {
        const run = { config: { allowedCidrs: [42, null, { cidr: "0.0.0.0/0" }, "203.0.113.0/24"] } };
        const violations = await validateResource(noHardcodedIps, lambdaWith({ ALLOWED: "203.0.113.7", OTHER: "198.51.100.7" }), run);
        assert.deepEqual(
            violations.map((v) => v.message.match(/\d+\.\d+\.\d+\.\d+/)?.[0]),
            ["198.51.100.7"],
        );
    });
});

describe("no-hardcoded-ips: everywhere and the unspecified address name no host", () => {
    for (const text of ["0.0.0.0/0", "::/0", "0.0.0.0"]) {
        it(`${text} passes`, async () => {
            assert.deepEqual(await validateResource(noHardcodedIps, lambdaWith({ BIND: text })), []);
        });
    }

    it("a host address next to them is still reported", async () => {
        assert.equal((await validateResource(noHardcodedIps, lambdaWith({ BIND: "::/0", HOST: "2001:db8::7" }))).length, 1);
    });
});

describe("no-hardcoded-ips: where an address is reported", () => {
    const pathsOf = async (variables: Record<string, string>) =>
        (await validateResource(noHardcodedIps, lambdaWith(variables))).map((v) => v.message.match(/^Property '([^']*)' holds the IP address literal '([^']*)'\./)?.slice(1).join(" = "));

    it("inside a JSON string, at the path of the value that holds it (indented JSON too)", async () => {
        assert.deepEqual(await pathsOf({ CONFIG: '  {"upstream": {"hosts": ["198.51.100.7", "198.51.100.8"]}}' }), [
            "environment.variables.CONFIG.upstream.hosts[0] = 198.51.100.7",
            "environment.variables.CONFIG.upstream.hosts[1] = 198.51.100.8",
        ]);
        assert.deepEqual(await pathsOf({ HOSTS: '["198.51.100.7"]' }), ["environment.variables.HOSTS[0] = 198.51.100.7"]);
    });

    it("text that only looks like JSON is searched as text", async () => {
        assert.deepEqual(await pathsOf({ A: "[198.51.100.7", B: "{198.51.100.8}", C: "null 198.51.100.9" }), [
            "environment.variables.A = 198.51.100.7",
            "environment.variables.B = 198.51.100.8",
            "environment.variables.C = 198.51.100.9",
        ]);
    });

    it("the same address twice under one path is reported once, under two paths twice", async () => {
        assert.deepEqual(await pathsOf({ A: "198.51.100.7 and again 198.51.100.7", B: "198.51.100.7" }), [
            "environment.variables.A = 198.51.100.7",
            "environment.variables.B = 198.51.100.7",
        ]);
    });

    it("ends with a message that says how to fix it", async () => {
        const [violation] = await validateResource(noHardcodedIps, lambdaWith({ HOST: "198.51.100.7" }));
        assert.match(
            violation!.message,
            / Refer to the resource that owns the address instead \(its output, a DNS or service-discovery name, a security group or a prefix list\); if this range is fixed on purpose, add it to this policy's allowedCidrs\.$/,
        );
    });
});

describe("no-hardcoded-ips: nesting", () => {
    const nested = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { level: nested(levels - 1, leaf) });
    const run = async (levels: number) =>
        validateResource(noHardcodedIps, { type: "aws:lambda/function:Function", props: { runtime: "nodejs22.x", settings: nested(levels, ["198.51.100.7"]) } });

    it("finds an address some levels down, with its path", async () => {
        const violations = await run(3);
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /^Property 'settings\.level\.level\.level\[0\]' holds/);
    });

    it("stops searching below 32 levels: the work per property is bounded", async () => {
        // The address sits `levels` objects and one list below the property's value.
        assert.equal((await run(31)).length, 1);
        assert.deepEqual(await run(32), []);
    });

    it("a JSON string counts as a level of its own", async () => {
        const asJson = (levels: number) =>
            validateResource(noHardcodedIps, { type: "aws:lambda/function:Function", props: { settings: JSON.stringify(nested(levels, ["198.51.100.7"])) } });
        assert.equal((await asJson(30)).length, 1);
        assert.deepEqual(await asJson(31), []);
    });
});
