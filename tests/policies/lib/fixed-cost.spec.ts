import assert from "node:assert/strict";
import { PolicyResource, unknownCheckingProxy } from "@pulumi/policy";
import { AWSX_VPC, ELASTIC_IP, estimateFixedCost, FixedCostEstimate, formatUsd, largestItems, NAT_GATEWAY } from "../../../policies/lib/fixed-cost";
import { PRICE_FILES } from "../../../policies/lib/prices";
import { StackIndex } from "../../../policies/lib/stack";
import { UNKNOWN, urnOf } from "../harness";

/** A resource of a test stack: parent and dependencies by name, the provider by its region. */
interface Spec {
    type: string;
    name: string;
    props?: Record<string, unknown>;
    parent?: string;
    /** The region of its explicit provider; none: no provider. */
    region?: string;
    dependsOn?: Record<string, string[]>;
}

/** The resources as the policy server hands them to a stack policy: props proxied, parents and dependencies linked. */
function stack(specs: Spec[], stackName = "dev"): StackIndex {
    const bySpec = new Map(specs.map((spec) => [spec.name, spec]));
    const parentTypes = (spec: Spec): string[] => {
        const parent = spec.parent === undefined ? undefined : bySpec.get(spec.parent);
        return parent === undefined ? [] : [...parentTypes(parent), parent.type];
    };
    const resources = new Map<string, PolicyResource>();
    for (const spec of specs) {
        const provider = spec.region === undefined ? undefined : { type: "pulumi:providers:aws", name: "aws", urn: urnOf("pulumi:providers:aws", "aws", stackName), props: { region: spec.region } };
        resources.set(spec.name, {
            type: spec.type,
            name: spec.name,
            urn: urnOf(spec.type, spec.name, stackName, parentTypes(spec)),
            props: unknownCheckingProxy(structuredClone(spec.props ?? {})),
            provider,
            dependencies: [],
            propertyDependencies: {},
        } as unknown as PolicyResource);
    }
    for (const spec of specs) {
        const resource = resources.get(spec.name)!;
        resource.parent = spec.parent === undefined ? undefined : resources.get(spec.parent);
        for (const [property, names] of Object.entries(spec.dependsOn ?? {})) {
            resource.propertyDependencies[property] = names.map((n) => resources.get(n)!);
        }
    }
    return StackIndex.of([...resources.values()]);
}

function estimate(specs: Spec[]): FixedCostEstimate {
    return estimateFixedCost(stack(specs));
}

/** Amounts compared to the cent's millionth: the estimate rounds to 1e-9, a calculation here in plain floating point. */
function assertUsd(actual: number, expected: number, what = "") {
    assert.equal(Math.round(actual * 1e6), Math.round(expected * 1e6), `${what}: ${actual} ≠ ${expected}`);
}

const US = PRICE_FILES["us-east-1"].prices;
const EU = PRICE_FILES["eu-west-1"].prices;
const HOURS = 730;

/** Only the items that cost something while idle. */
const fixed = (e: FixedCostEstimate) => e.items.filter((item) => item.basis === "fixed");

describe("policies/lib/fixed-cost", () => {
    describe("each priced type alone (us-east-1)", () => {
        const cases: [string, Spec, number][] = [
            ["a NAT gateway", { type: NAT_GATEWAY, name: "nat", region: "us-east-1" }, US.natGateway.usd * HOURS],
            ["an Elastic IP", { type: ELASTIC_IP, name: "ip", region: "us-east-1" }, US.publicIpv4Address.usd * HOURS],
            ["a customer-managed KMS key", { type: "aws:kms/key:Key", name: "key", region: "us-east-1", props: { enableKeyRotation: true } }, US.kmsKey.usd],
            ["a replica KMS key", { type: "aws:kms/replicaKey:ReplicaKey", name: "key", region: "us-east-1" }, US.kmsKey.usd],
            ["an alarm on one metric", { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "a", region: "us-east-1", props: { metricName: "Errors", period: 60 } }, US.alarmMetricStandard.usd],
            ["a high-resolution alarm", { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "a", region: "us-east-1", props: { period: 10 } }, US.alarmMetricHighResolution.usd],
            [
                "a metric math alarm on two metrics",
                {
                    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
                    name: "a",
                    region: "us-east-1",
                    props: { metricQueries: [{ id: "a", metric: { metricName: "X", period: 60 } }, { id: "b", metric: { metricName: "Y", period: 60 } }, { id: "c", expression: "a + b" }] },
                },
                2 * US.alarmMetricStandard.usd,
            ],
            [
                "an anomaly detection alarm (the metric and the band's two bounds)",
                {
                    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
                    name: "a",
                    region: "us-east-1",
                    props: { metricQueries: [{ id: "m", metric: { metricName: "X", period: 300 } }, { id: "band", expression: "ANOMALY_DETECTION_BAND(m, 2)" }] },
                },
                3 * US.alarmMetricStandard.usd,
            ],
            ["a composite alarm", { type: "aws:cloudwatch/compositeAlarm:CompositeAlarm", name: "c", region: "us-east-1" }, US.compositeAlarm.usd],
            ["a dashboard", { type: "aws:cloudwatch/dashboard:Dashboard", name: "d", region: "us-east-1" }, US.dashboard.usd],
            [
                "a provisioned DynamoDB table with a provisioned index",
                {
                    type: "aws:dynamodb/table:Table",
                    name: "t",
                    region: "us-east-1",
                    props: { billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 2, globalSecondaryIndexes: [{ name: "i", readCapacity: 1, writeCapacity: 1 }] },
                },
                6 * US.dynamodbReadCapacityUnit.usd * HOURS + 3 * US.dynamodbWriteCapacityUnit.usd * HOURS,
            ],
            ["a table without a billing mode (the provider's default: provisioned)", { type: "aws:dynamodb/table:Table", name: "t", region: "us-east-1", props: { readCapacity: 1, writeCapacity: 1 } }, (US.dynamodbReadCapacityUnit.usd + US.dynamodbWriteCapacityUnit.usd) * HOURS],
            ["a Secrets Manager secret", { type: "aws:secretsmanager/secret:Secret", name: "s", region: "us-east-1" }, US.secretsManagerSecret.usd],
            ["a secret with two replicas", { type: "aws:secretsmanager/secret:Secret", name: "s", region: "us-east-1", props: { replicas: [{ region: "eu-west-1" }, { region: "eu-central-1" }] } }, 3 * US.secretsManagerSecret.usd],
            ["an EC2 instance", { type: "aws:ec2/instance:Instance", name: "i", region: "us-east-1", props: { instanceType: "t3.micro" } }, PRICE_FILES["us-east-1"].ec2Instances["t3.micro"].usd * HOURS],
            [
                "an EC2 instance with a public IP",
                { type: "aws:ec2/instance:Instance", name: "i", region: "us-east-1", props: { instanceType: "t3.micro", associatePublicIpAddress: true } },
                (PRICE_FILES["us-east-1"].ec2Instances["t3.micro"].usd + US.publicIpv4Address.usd) * HOURS,
            ],
            [
                "an internet-facing application load balancer in two subnets",
                { type: "aws:lb/loadBalancer:LoadBalancer", name: "lb", region: "us-east-1", props: { subnets: ["subnet-a", "subnet-b"] } },
                (US.applicationLoadBalancer.usd + 2 * US.publicIpv4Address.usd) * HOURS,
            ],
            ["an internal network load balancer", { type: "aws:lb/loadBalancer:LoadBalancer", name: "lb", region: "us-east-1", props: { loadBalancerType: "network", internal: true, subnets: ["a"] } }, US.networkLoadBalancer.usd * HOURS],
            ["a gateway load balancer", { type: "aws:alb/loadBalancer:LoadBalancer", name: "lb", region: "us-east-1", props: { loadBalancerType: "gateway", subnets: ["a"] } }, US.gatewayLoadBalancer.usd * HOURS],
            ["a classic load balancer", { type: "aws:elb/loadBalancer:LoadBalancer", name: "lb", region: "us-east-1" }, US.classicLoadBalancer.usd * HOURS],
        ];
        for (const [what, spec, expected] of cases) {
            it(what, () => {
                const result = estimate([spec]);
                assertUsd(result.monthly, expected, what);
                assert.deepEqual(result.unpriced, []);
                assert.ok(fixed(result).length > 0, "priced as a fixed cost");
                for (const item of result.items) {
                    assert.equal(item.urn, urnOf(spec.type, spec.name));
                    assertUsd(item.monthly, item.quantity * item.unitPrice, "monthly = quantity × unitPrice");
                }
            });
        }

        it("a Fargate service: its tasks' vCPU and memory, and a public IPv4 address per task with a public IP", () => {
            const result = estimate([
                { type: "aws:ecs/taskDefinition:TaskDefinition", name: "td", region: "us-east-1", props: { cpu: "256", memory: "512", arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/td:1" } },
                {
                    type: "aws:ecs/service:Service",
                    name: "svc",
                    region: "us-east-1",
                    props: { launchType: "FARGATE", desiredCount: 3, taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/td:1", networkConfiguration: { assignPublicIp: true } },
                },
            ]);
            assertUsd(result.monthly, 3 * (0.25 * US.fargateVcpuLinuxX86.usd + 0.5 * US.fargateGbLinuxX86.usd + US.publicIpv4Address.usd) * HOURS);
            assert.deepEqual(
                fixed(result).map((item) => [item.unit, item.quantity]),
                [
                    ["GB", 1.5],
                    ["public IPv4 address", 3],
                    ["vCPU", 0.75],
                ],
            );
        });

        it("prices what is priced by use, and what costs nothing, at $0, and lists types it cannot price", () => {
            const result = estimate([
                { type: "aws:sqs/queue:Queue", name: "q", region: "us-east-1" },
                { type: "aws:lambda/function:Function", name: "f", region: "us-east-1" },
                { type: "aws:dynamodb/table:Table", name: "t", region: "us-east-1", props: { billingMode: "PAY_PER_REQUEST" } },
                { type: "aws:iam/role:Role", name: "r", region: "us-east-1" },
                { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "s3", region: "us-east-1", props: { vpcEndpointType: "Gateway" } },
                { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "sqs", region: "us-east-1", props: { vpcEndpointType: "Interface" } },
                { type: "aws:rds/instance:Instance", name: "db", region: "us-east-1" },
                { type: "aws:ec2/instance:Instance", name: "big", region: "us-east-1", props: { instanceType: "x2iedn.32xlarge" } },
                { type: "pulumi:providers:aws", name: "aws", props: { region: "us-east-1" } },
            ]);
            assert.equal(result.monthly, 0);
            assert.deepEqual(
                result.items.map((item) => [item.type, item.basis, item.monthly]),
                [
                    ["aws:dynamodb/table:Table", "usage", 0],
                    ["aws:ec2/vpcEndpoint:VpcEndpoint", "free", 0],
                    ["aws:iam/role:Role", "free", 0],
                    ["aws:lambda/function:Function", "usage", 0],
                    ["aws:sqs/queue:Queue", "usage", 0],
                ],
            );
            assert.match(result.items[3].description, /priced by use: requests and duration/);
            assert.deepEqual(result.unpriced, ["aws:ec2/instance:Instance", "aws:ec2/vpcEndpoint:VpcEndpoint", "aws:rds/instance:Instance"]);
        });

        it("skips components (types that are some resource's parent) and providers; a component without children is not priced", () => {
            const result = estimate([
                { type: "acme:net:Edge", name: "edge" },
                { type: "aws:ec2/eip:Eip", name: "ip", parent: "edge", region: "us-east-1" },
                { type: "acme:empty:Thing", name: "lonely" },
            ]);
            assert.deepEqual(result.items.map((item) => item.type), ["aws:ec2/eip:Eip"]);
            assert.deepEqual(result.unpriced, ["acme:empty:Thing"]);
        });
    });

    describe("awsx:ec2:Vpc: the NAT gateways and Elastic IPs its children would be", () => {
        const vpc = (props: Record<string, unknown>, region = "us-east-1"): Spec[] => [
            { type: "pulumi:providers:aws", name: "aws", props: { region } },
            { type: "event-pipeline:network:Network", name: "network" },
            { type: AWSX_VPC, name: "network-vpc", parent: "network", props },
        ];
        const counts = (result: FixedCostEstimate) =>
            Object.fromEntries(fixed(result).map((item) => [item.type, item.quantity]));

        it("strategy None: no NAT gateway, no Elastic IP", () => {
            const result = estimate(vpc({ natGateways: { strategy: "None" }, numberOfAvailabilityZones: 2, subnetSpecs: [{ type: "Public" }] }));
            assert.deepEqual(counts(result), {});
            assert.equal(result.monthly, 0);
        });

        it("strategy Single: one NAT gateway and its Elastic IP, whatever the number of zones", () => {
            const result = estimate(vpc({ natGateways: { strategy: "Single" }, numberOfAvailabilityZones: 3, subnetSpecs: [{ type: "Public" }, { type: "Private" }] }));
            assert.deepEqual(counts(result), { [NAT_GATEWAY]: 1, [ELASTIC_IP]: 1 });
            assertUsd(result.monthly, (US.natGateway.usd + US.publicIpv4Address.usd) * HOURS);
        });

        it("strategy OnePerAz: one NAT gateway and Elastic IP per availability zone, at the region's prices", () => {
            const result = estimate(vpc({ natGateways: { strategy: "OnePerAz" }, numberOfAvailabilityZones: 3, subnetSpecs: [{ type: "Public" }, { type: "Private" }] }, "eu-west-1"));
            assert.deepEqual(counts(result), { [NAT_GATEWAY]: 3, [ELASTIC_IP]: 3 });
            assertUsd(result.monthly, 3 * (EU.natGateway.usd + EU.publicIpv4Address.usd) * HOURS);
            for (const item of fixed(result)) {
                assert.equal(item.urn, urnOf(AWSX_VPC, "network-vpc", "dev", ["event-pipeline:network:Network"]), "the component's URN");
                assert.match(item.description, /derived|from the awsx:ec2:Vpc's inputs/);
            }
        });

        it("unset: awsx's defaults, OnePerAz over the first 3 availability zones, with its default public and private subnets", () => {
            const result = estimate(vpc({}));
            assert.deepEqual(counts(result), { [NAT_GATEWAY]: 3, [ELASTIC_IP]: 3 });
            assert.match(fixed(result)[0].description, /awsx's default OnePerAz × 3 availability zones/);
        });

        it("unset strategy with public subnets only: no NAT gateway (nothing private to route)", () => {
            assert.deepEqual(counts(estimate(vpc({ subnetSpecs: [{ type: "Public" }] }))), {});
        });

        it("counts the zones named, and no Elastic IP for allocation IDs brought along", () => {
            const result = estimate(vpc({ availabilityZoneNames: ["us-east-1a", "us-east-1b"], natGateways: { strategy: "OnePerAz", elasticIpAllocationIds: ["eipalloc-1", "eipalloc-2"] } }));
            assert.deepEqual(counts(result), { [NAT_GATEWAY]: 2 });
        });

        it("derives nothing when the graph holds its children, as a real preview does: nothing is counted twice", () => {
            const children: Spec[] = [
                { type: "aws:ec2/subnet:Subnet", name: "public-1", parent: "network-vpc" },
                { type: NAT_GATEWAY, name: "nat-1", parent: "public-1" },
                { type: ELASTIC_IP, name: "eip-1", parent: "public-1" },
            ];
            const result = estimate([...vpc({ natGateways: { strategy: "Single" } }), ...children]);
            assert.deepEqual(
                fixed(result).map((item) => [item.type, item.urn.split("::").pop()]),
                [
                    [ELASTIC_IP, "eip-1"],
                    [NAT_GATEWAY, "nat-1"],
                ],
            );
            assertUsd(result.monthly, (US.natGateway.usd + US.publicIpv4Address.usd) * HOURS);
        });

        it("a strategy unknown during preview: priced at its lower bound, none, and said so", () => {
            const result = estimate(vpc({ natGateways: { strategy: UNKNOWN } }));
            assert.equal(result.monthly, 0);
            assert.ok(fixed(result).every((item) => /lower bound: its NAT gateway strategy not known yet/.test(item.description)));
            assert.ok(result.notes.some((note) => /lower bound/.test(note)));
        });
    });

    describe("Fargate services: the tasks kept running while idle", () => {
        const worker = (service: Record<string, unknown>, target?: Record<string, unknown>, extra: Spec[] = []): Spec[] => [
            { type: "aws:ecs/cluster:Cluster", name: "workers", region: "us-east-1", props: { name: "workers-1a2b3c" } },
            { type: "aws:ecs/taskDefinition:TaskDefinition", name: "worker", region: "us-east-1", props: { cpu: "512", memory: "1024", arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/worker:1" } },
            {
                type: "aws:ecs/service:Service",
                name: "worker-svc",
                region: "us-east-1",
                props: { name: "worker-9f8e7d", cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/workers-1a2b3c", launchType: "FARGATE", taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/worker:1", ...service },
                dependsOn: { taskDefinition: ["worker"] },
            },
            ...(target === undefined
                ? []
                : [
                      {
                          type: "aws:appautoscaling/target:Target",
                          name: "worker-scaling",
                          region: "us-east-1",
                          props: { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: "service/workers-1a2b3c/worker-9f8e7d", maxCapacity: 10, ...target },
                          dependsOn: { resourceId: ["workers", "worker-svc"] },
                      },
                  ]),
            ...extra,
        ];
        const perTask = 0.5 * US.fargateVcpuLinuxX86.usd * HOURS + 1 * US.fargateGbLinuxX86.usd * HOURS;

        it("minTasks 0 (the scaling target's minimum) costs nothing fixed, whatever the desired count at creation", () => {
            const result = estimate(worker({ desiredCount: 0 }, { minCapacity: 0 }));
            assert.equal(result.monthly, 0);
            const [service] = result.items.filter((item) => item.type === "aws:ecs/service:Service");
            assert.equal(service.basis, "usage");
            assert.match(service.description, /no task while idle/);
        });

        it("the scaling target's minimum capacity is what idles, not the desired count the service was created with (ignoreChanges)", () => {
            const result = estimate(worker({ desiredCount: 5 }, { minCapacity: 2 }));
            assertUsd(result.monthly, 2 * perTask);
            assert.match(fixed(result)[0].description, /2 tasks kept running \(its scaling target's minimum capacity\)/);
        });

        it("without a scaling target, the desired count (unset: the provider's default, 0)", () => {
            assertUsd(estimate(worker({ desiredCount: 1 })).monthly, perTask);
            assert.equal(estimate(worker({})).monthly, 0);
        });

        it("a target whose resourceId is unknown is related through its dependencies; its unknown minimum is priced at the lower bound, 0", () => {
            const related = estimate(worker({ desiredCount: 5 }, { resourceId: UNKNOWN, minCapacity: 1 }));
            assertUsd(related.monthly, perTask);
            const unknownMinimum = estimate(worker({ desiredCount: 5 }, { minCapacity: UNKNOWN }));
            assert.equal(unknownMinimum.monthly, 0);
            assert.match(unknownMinimum.items.find((i) => i.type === "aws:ecs/service:Service")!.description, /lower bound: the minimum capacity is not known yet/);
        });

        it("a target that may scale any service (resource unknown, no dependencies) lowers the bound to its minimum", () => {
            const specs = worker({ desiredCount: 3 });
            specs.push({ type: "aws:appautoscaling/target:Target", name: "other", region: "us-east-1", props: { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: UNKNOWN, minCapacity: 1 } });
            const result = estimate(specs);
            assertUsd(result.monthly, perTask);
            assert.match(fixed(result)[0].description, /lower bound/);
        });

        it("a task definition outside the stack: sized as the smallest Fargate task, a lower bound", () => {
            const result = estimate(worker({ desiredCount: 1, taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/elsewhere:7" }).filter((s) => s.type !== "aws:ecs/taskDefinition:TaskDefinition"));
            assertUsd(result.monthly, 0.25 * US.fargateVcpuLinuxX86.usd * HOURS + 0.5 * US.fargateGbLinuxX86.usd * HOURS);
            assert.match(fixed(result)[0].description, /lower bound: its task definition is not in the stack/);
        });

        it("reads ARM tasks at ARM prices and sizes written as '1 vCPU' / '2 GB'", () => {
            const specs = worker({ desiredCount: 1 });
            specs[1] = { ...specs[1], props: { ...specs[1].props, cpu: "1 vCPU", memory: "2 GB", runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" } } };
            assertUsd(estimate(specs).monthly, (US.fargateVcpuLinuxArm.usd + 2 * US.fargateGbLinuxArm.usd) * HOURS);
        });

        it("EC2 launch type: no charge of its own; Fargate Spot: not priced", () => {
            const ec2 = estimate(worker({ desiredCount: 2, launchType: "EC2" }));
            assert.equal(ec2.monthly, 0);
            assert.equal(ec2.items.find((i) => i.type === "aws:ecs/service:Service")?.basis, "free");
            const spot = estimate(worker({ desiredCount: 2, launchType: undefined, capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }));
            assert.deepEqual(spot.unpriced, ["aws:ecs/service:Service"]);
        });
    });

    describe("regions", () => {
        it("a region without a price file is priced with us-east-1's, and says so", () => {
            const result = estimate([{ type: "aws:kms/key:Key", name: "k", region: "ap-south-1" }, { type: NAT_GATEWAY, name: "nat", region: "ap-south-1" }]);
            assertUsd(result.monthly, US.kmsKey.usd + US.natGateway.usd * HOURS);
            assert.deepEqual(result.regions, ["us-east-1"]);
            assert.deepEqual(result.notes, ["us-east-1 prices: no price file for ap-south-1"]);
            assert.ok(result.items.every((item) => item.description.endsWith("[us-east-1 prices: no price file for ap-south-1]")));
        });

        it("a resource's own region wins over its provider's; without any region, us-east-1's prices and a note", () => {
            assertUsd(estimate([{ type: NAT_GATEWAY, name: "nat", region: "us-east-1", props: { region: "eu-west-1" } }]).monthly, EU.natGateway.usd * HOURS);
            const unknown = estimate([{ type: NAT_GATEWAY, name: "nat" }]);
            assert.deepEqual(unknown.notes, ["us-east-1 prices: region not known"]);
        });

        it("a resource without a provider of its own is in the stack's region when every provider agrees", () => {
            const agreeing = estimate([{ type: "aws:kms/key:Key", name: "k", region: "eu-west-1" }, { type: NAT_GATEWAY, name: "nat" }]);
            assertUsd(agreeing.monthly, EU.kmsKey.usd + EU.natGateway.usd * HOURS);
            const disagreeing = estimate([{ type: "aws:kms/key:Key", name: "k", region: "eu-west-1" }, { type: "aws:kms/key:Key", name: "k2", region: "us-east-1" }, { type: NAT_GATEWAY, name: "nat" }]);
            assert.ok(disagreeing.notes.includes("us-east-1 prices: region not known"));
        });
    });

    describe("the estimate as a whole", () => {
        const specs: Spec[] = [
            { type: "aws:cloudwatch/dashboard:Dashboard", name: "d", region: "us-east-1" },
            { type: NAT_GATEWAY, name: "nat", region: "us-east-1" },
            { type: "aws:kms/key:Key", name: "k", region: "us-east-1" },
            { type: ELASTIC_IP, name: "ip", region: "us-east-1" },
        ];

        it("totals its items exactly, in a stable order whatever the order of the resources", () => {
            const result = estimate(specs);
            assert.equal(result.currency, "USD");
            assert.equal(result.monthly, 32.85 + 3.65 + 3 + 1);
            assert.deepEqual(estimate([...specs].reverse()), result);
            assert.deepEqual(
                result.items.map((item) => item.urn),
                [...result.items.map((item) => item.urn)].sort(),
            );
        });

        it("names the largest items, largest first", () => {
            assert.deepEqual(
                largestItems(estimate(specs), 3).map((item) => item.type),
                [NAT_GATEWAY, ELASTIC_IP, "aws:cloudwatch/dashboard:Dashboard"],
            );
        });

        it("formats money in dollars and cents (a fraction of a cent to the tenth)", () => {
            assert.deepEqual([formatUsd(0), formatUsd(1234.5), formatUsd(32.85), formatUsd(0.0025)], ["$0.00", "$1,234.50", "$32.85", "$0.003"]);
        });

        it("never throws on resources of the wrong shape, and prices nothing from them", () => {
            const odd = [null, {}, { type: 7, urn: null, props: null }, { type: NAT_GATEWAY, urn: "u", props: "x", provider: { props: null }, parent: 3 }];
            const result = estimateFixedCost(StackIndex.of(odd as unknown as PolicyResource[]));
            assert.deepEqual(
                result.items.map((item) => item.type),
                [NAT_GATEWAY],
            );
        });
    });
});
