import assert from "node:assert/strict";
import { disposableCompute } from "../../../policies/general/disposable-compute";
import { FixtureResource, UNKNOWN, urnOf, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

/** The pipeline's worker service: Fargate, circuit breaker with rollback. */
function service(change: Record<string, unknown> = {}): Fixture {
    return {
        type: "aws:ecs/service:Service",
        props: {
            cluster: UNKNOWN,
            taskDefinition: UNKNOWN,
            desiredCount: 1,
            launchType: "FARGATE",
            deploymentCircuitBreaker: { enable: true, rollback: true },
            networkConfiguration: { subnets: [UNKNOWN], assignPublicIp: false },
            ...change,
        },
    };
}

function eip(parentTypes: string[]): Fixture {
    return { type: "aws:ec2/eip:Eip", props: { domain: "vpc" }, urn: urnOf("aws:ec2/eip:Eip", "nat-1", "dev", parentTypes) };
}

describe("disposable-compute", () => {
    it("is named, described and mandatory", () => {
        assert.equal(disposableCompute.name, "disposable-compute");
        assert.match(disposableCompute.description, /Fargate/);
        assert.equal(disposableCompute.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("a Fargate service with a circuit breaker that rolls back passes", async () => {
            assert.deepEqual(await validateResource(disposableCompute, service()), []);
        });

        it("a FARGATE / FARGATE_SPOT capacity provider strategy passes", async () => {
            const strategies = [
                { capacityProvider: "FARGATE_SPOT", weight: 3 },
                { capacityProvider: "FARGATE", weight: 1, base: 1 },
            ];
            assert.deepEqual(await validateResource(disposableCompute, service({ launchType: undefined, capacityProviderStrategies: strategies })), []);
        });

        it("the NAT gateway EIPs an awsx:ec2:Vpc creates pass, however deep the Vpc sits", async () => {
            assert.deepEqual(await validateResource(disposableCompute, eip(["awsx:ec2:Vpc"])), []);
            assert.deepEqual(await validateResource(disposableCompute, eip(["event-pipeline:network:Network", "awsx:ec2:Vpc"])), []);
        });

        it("other types are not applicable", async () => {
            assert.deepEqual(await validateResource(disposableCompute, { type: "aws:lambda/function:Function", props: {} }), []);
        });
    });

    describe("noncompliance", () => {
        it("an EC2 instance", async () => {
            const violations = await validateResource(disposableCompute, { type: "aws:ec2/instance:Instance", props: { instanceType: "t3.micro" } });
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /hand-kept server.*Fargate/);
        });

        it("a spot instance request", async () => {
            const spot: Fixture = { type: "aws:ec2/spotInstanceRequest:SpotInstanceRequest", props: { spotPrice: "0.01" } };
            assert.equal((await validateResource(disposableCompute, spot)).length, 1);
        });

        it("an Elastic IP of its own", async () => {
            assert.match((await validateResource(disposableCompute, eip([])))[0].message, /Elastic IP/);
        });

        it("an Elastic IP under another component, even one named like a VPC", async () => {
            assert.equal((await validateResource(disposableCompute, eip(["event-pipeline:network:Vpc"]))).length, 1);
            assert.equal((await validateResource(disposableCompute, eip(["awsx:ec2:DefaultVpc"]))).length, 1);
        });

        it("a service on the EC2 launch type", async () => {
            assert.match((await validateResource(disposableCompute, service({ launchType: "EC2" })))[0].message, /does not run on Fargate/);
        });

        it("a service with neither a launch type nor a strategy (ECS would default to EC2)", async () => {
            assert.equal((await validateResource(disposableCompute, service({ launchType: undefined }))).length, 1);
        });

        it("a strategy that mixes in an EC2 capacity provider", async () => {
            const strategies = [{ capacityProvider: "FARGATE", weight: 1 }, { capacityProvider: "asg-provider", weight: 1 }];
            assert.equal((await validateResource(disposableCompute, service({ launchType: undefined, capacityProviderStrategies: strategies }))).length, 1);
        });

        it("no circuit breaker, or one without rollback, or disabled", async () => {
            for (const deploymentCircuitBreaker of [undefined, { enable: true, rollback: false }, { enable: false, rollback: true }, { enable: true }]) {
                const violations = await validateResource(disposableCompute, service({ deploymentCircuitBreaker }));
                assert.equal(violations.length, 1, JSON.stringify(deploymentCircuitBreaker));
                assert.match(violations[0].message, /enable: true, rollback: true/);
            }
        });

        it("both problems at once are both reported", async () => {
            assert.equal((await validateResource(disposableCompute, service({ launchType: "EC2", deploymentCircuitBreaker: undefined }))).length, 2);
        });
    });

    describe("unknown values", () => {
        it("unknown launch type, strategy or circuit breaker never violates", async () => {
            for (const change of [
                { launchType: UNKNOWN },
                { launchType: undefined, capacityProviderStrategies: UNKNOWN },
                { launchType: undefined, capacityProviderStrategies: [{ capacityProvider: UNKNOWN, weight: 1 }] },
                { deploymentCircuitBreaker: UNKNOWN },
                { deploymentCircuitBreaker: { enable: UNKNOWN, rollback: true } },
            ]) {
                assert.deepEqual(await validateResource(disposableCompute, service(change)), [], JSON.stringify(change));
            }
        });

        it("a known false next to an unknown still violates", async () => {
            const violations = await validateResource(disposableCompute, service({ deploymentCircuitBreaker: { enable: UNKNOWN, rollback: false } }));
            assert.equal(violations.length, 1);
            assert.doesNotMatch(violations[0].message, /can't run/);
        });
    });

    describe("malformed values", () => {
        it("wrong types and null never throw", async () => {
            for (const change of [
                { launchType: 7 },
                { launchType: null, capacityProviderStrategies: "FARGATE" },
                { launchType: undefined, capacityProviderStrategies: [null, 3] },
                { deploymentCircuitBreaker: "on" },
                { deploymentCircuitBreaker: null },
                { deploymentCircuitBreaker: { enable: "true", rollback: "true" } },
            ]) {
                await validateResource(disposableCompute, service(change));
            }
        });

        it('"true" strings count as true', async () => {
            assert.deepEqual(await validateResource(disposableCompute, service({ deploymentCircuitBreaker: { enable: "true", rollback: "true" } })), []);
        });

        it("an EIP with a malformed URN violates rather than throws", async () => {
            assert.equal((await validateResource(disposableCompute, { ...eip([]), urn: "not-a-urn" })).length, 1);
        });
    });
});

const bareService = (props: Record<string, unknown>) => ({
    type: "aws:ecs/service:Service",
    props: { deploymentCircuitBreaker: { enable: true, rollback: true }, ...props },
});

describe("disposable-compute: an empty launchType", () => {
    it("is not set: the capacity provider strategy decides (Fargate passes)", async () => {
        const fargate = bareService({ launchType: "", capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }] });
        assert.deepEqual(await validateResource(disposableCompute, fargate), []);
    });

    it("is not set: without a strategy the service does not run on Fargate", async () => {
        const violations = await validateResource(disposableCompute, bareService({ launchType: "" }));
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /does not run on Fargate\. Set launchType: "FARGATE" or a capacityProviderStrategies of only FARGATE\/FARGATE_SPOT, so there are no container instances to patch and scale\./);
    });
});

describe("disposable-compute: a circuit breaker half unknown during preview", () => {
    for (const [breaker, flagged] of [
        [{ enable: false, rollback: UNKNOWN }, true],
        [{ enable: UNKNOWN, rollback: false }, true],
        [{ enable: true, rollback: UNKNOWN }, false],
        [{ enable: UNKNOWN, rollback: true }, false],
    ] as const) {
        it(`${JSON.stringify(breaker)}: ${flagged ? "a known false decides" : "cannot be judged yet"}`, async () => {
            const violations = await validateResource(disposableCompute, bareService({ launchType: "FARGATE", deploymentCircuitBreaker: breaker }));
            assert.equal(violations.length, flagged ? 1 : 0);
            if (flagged) {
                assert.match(violations[0]!.message, /^The ECS service's deployment circuit breaker is not enabled with rollback\. Set deploymentCircuitBreaker: \{ enable: true, rollback: true \} so a deployment whose tasks keep failing is rolled back automatically\.$/);
            }
        });
    }
});
