import assert from "node:assert/strict";
import { stackFixedCostBudget as policy } from "../../../policies/general/stack-fixed-cost-budget";
import { FixtureResource, serverResources, UNKNOWN, urnOf, validateStack } from "../harness";
import { assertRan, MALFORMED_VALUES } from "../pipeline-fixtures";

const PROVIDER = { type: "pulumi:providers:aws", props: { region: "us-east-1" } };

/** $40.60 a month in us-east-1: a NAT gateway $32.85, an Elastic IP $3.65, a dashboard $3, a KMS key $1, an alarm $0.10. */
function idleStack(): FixtureResource[] {
    return [
        { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: { connectivityType: "public" }, provider: PROVIDER },
        { type: "aws:ec2/eip:Eip", name: "nat-ip", props: { domain: "vpc" }, provider: PROVIDER },
        { type: "aws:cloudwatch/dashboard:Dashboard", name: "board", props: { dashboardName: "board" }, provider: PROVIDER },
        { type: "aws:kms/key:Key", name: "key", props: {}, provider: PROVIDER },
        { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "alarm", props: { metricName: "Errors", period: 60 }, provider: PROVIDER },
        { type: "aws:sqs/queue:Queue", name: "queue", props: {}, provider: PROVIDER },
    ];
}
const IDLE_COST = 40.6;

/** A Fargate worker: 2 tasks × (0.25 vCPU, 0.5 GB) kept running by its scaling target, $18.02 a month. */
function worker(minCapacity: unknown): FixtureResource[] {
    return [
        { type: "aws:ecs/taskDefinition:TaskDefinition", name: "td", props: { cpu: "256", memory: "512", arn: UNKNOWN }, provider: PROVIDER },
        { type: "aws:ecs/service:Service", name: "svc", props: { name: "svc-1", launchType: "FARGATE", taskDefinition: UNKNOWN, desiredCount: 2 }, propertyDependencies: { taskDefinition: ["td"] }, provider: PROVIDER },
        {
            type: "aws:appautoscaling/target:Target",
            name: "scaling",
            props: { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: UNKNOWN, minCapacity, maxCapacity: 4 },
            propertyDependencies: { resourceId: ["svc"] },
            provider: PROVIDER,
        },
    ];
}

async function check(fixtures: FixtureResource[], maxMonthlyUsd?: number) {
    const violations = await validateStack(policy, fixtures, { config: maxMonthlyUsd === undefined ? {} : { maxMonthlyUsd } });
    assertRan(violations);
    return violations;
}

describe("stack-fixed-cost-budget", () => {
    it("is named, explained and mandatory, with a budget that has no default", () => {
        assert.equal(policy.name, "stack-fixed-cost-budget");
        assert.match(policy.description, /with no traffic at all/);
        assert.equal(policy.enforcementLevel, "mandatory");
        assert.deepEqual(Object.keys(policy.configSchema?.properties ?? {}), ["maxMonthlyUsd"]);
        assert.equal((policy.configSchema?.properties.maxMonthlyUsd as { default?: unknown }).default, undefined);
    });

    describe("without a budget", () => {
        it("does not apply, however much the stack costs", async () => {
            let reason: string | undefined;
            const reported: string[] = [];
            try {
                await policy.validateStack(
                    { resources: await serverResources(idleStack()), stackTags: new Map(), getConfig: <T>() => ({}) as T, notApplicable: (why?: string): never => { reason = why; throw new Error("not applicable"); } },
                    (message) => reported.push(message),
                );
            } catch (e) {
                assert.equal((e as Error).message, "not applicable");
            }
            assert.deepEqual(reported, []);
            assert.match(reason ?? "", /set maxMonthlyUsd/);
        });
    });

    describe("compliance", () => {
        it("passes a stack at its budget", async () => {
            assert.deepEqual(await check(idleStack(), IDLE_COST), []);
        });

        it("passes a stack with nothing idle at a cost under a budget of 0", async () => {
            assert.deepEqual(await check([{ type: "aws:sqs/queue:Queue", name: "queue", props: {}, provider: PROVIDER }], 0), []);
        });
    });

    describe("non-compliance", () => {
        it("flags a stack just over its budget, naming the three largest items, against the largest one's resource", async () => {
            const violations = await check(idleStack(), 40.59);
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /fixed monthly cost is \$40\.60 \(list prices in us-east-1, before any traffic\), above the budget of \$40\.59 set by maxMonthlyUsd/);
            assert.match(violations[0].message, /The largest items: nat \(aws:ec2\/natGateway:NatGateway\) \$32\.85, nat-ip \(aws:ec2\/eip:Eip\) \$3\.65, board \(aws:cloudwatch\/dashboard:Dashboard\) \$3\.00\./);
            assert.match(violations[0].message, /raise maxMonthlyUsd/);
            assert.equal(violations[0].urn, urnOf("aws:ec2/natGateway:NatGateway", "nat"));
        });

        it("counts the Fargate tasks a scaling target keeps running", async () => {
            assert.equal((await check(worker(2), 18)).length, 1);
            assert.deepEqual(await check(worker(2), 18.1), []);
        });
    });

    describe("unknown values during preview", () => {
        it("an unknown task count is priced at its lower bound: no violation it would not cause once known", async () => {
            assert.deepEqual(await check(worker(UNKNOWN), 1), []);
        });

        it("a cost already over the budget at its lower bound is a violation whatever the unknowns add", async () => {
            const fixtures = [...idleStack(), ...worker(UNKNOWN)];
            assert.equal((await check(fixtures, 40)).length, 1);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`does not throw on ${JSON.stringify(value)} in every property it reads`, async () => {
                const fixtures = [...idleStack(), ...worker(value)].map((f) => ({
                    ...f,
                    props: Object.fromEntries(Object.keys({ ...f.props, instanceType: 0, natGateways: 0, subnetSpecs: 0, metricQueries: 0, networkConfiguration: 0 }).map((k) => [k, value])),
                }));
                await check(fixtures, 1);
                await check([{ type: "awsx:ec2:Vpc", name: "vpc", props: { natGateways: value, subnetSpecs: value, numberOfAvailabilityZones: value }, provider: PROVIDER }], 1);
            });
        }
    });
});
