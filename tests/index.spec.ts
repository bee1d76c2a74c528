/**
 * The whole program, per stack: `Pulumi.dev.yaml` and `Pulumi.prod.yaml` read as the CLI reads them,
 * validated by the real config loader, and run under mocks. What must hold in every stack is
 * checked for both; prod's differences from dev are checked side by side.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { parseStackConfig, PipelineConfig } from "../config";
import { UNKNOWN_SENTINELS } from "../tools/analyzer";
import { physicalName, ProgramRun, RecordedResource, runProgram } from "../tools/mock-runtime";
import { THIS_PROJECT_ROOT as PROJECT_ROOT } from "../tools/project";
import { readStackConfig } from "../tools/stack-files";
import { asList, childrenOf, ofType, one, parseJson, statementsOf, TYPES } from "./support/recorded";
import { sharedStackRun } from "./support/stack-runs";

interface StackUnderTest {
    config: PipelineConfig;
    run: ProgramRun;
}

async function runStack(stack: string, preview = false): Promise<StackUnderTest> {
    return { config: parseStackConfig(readStackConfig(PROJECT_ROOT, stack).config, stack), run: await sharedStackRun(stack, preview) };
}

async function runConfig(values: Record<string, unknown>, stack = "test"): Promise<ProgramRun> {
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        config[key.includes(":") ? key : `event-pipeline:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return runProgram({ stack, config });
}

/** The component of `type` a consumer got (components are named after their consumer). */
function consumerPart(run: ProgramRun, type: string, consumer: string): RecordedResource {
    return one(run, type, consumer);
}

interface ContainerDefinition {
    image: string;
    environment: { name: string; value: string }[];
}

function containerEnvironment(run: ProgramRun, consumer: string): Record<string, string> {
    const [container] = parseJson<ContainerDefinition[]>(one(run, TYPES.taskDefinition, consumer).inputs.containerDefinitions);
    return Object.fromEntries(container!.environment.map((e) => [e.name, e.value]));
}

/**
 * Least privilege: every statement of a consumer's role names only that consumer's own resources
 * (`own`) or the stack's idempotency table, if it has one; never "*" or another consumer's.
 */
function assertOnlyOwnResources(run: ProgramRun, statements: { Resource: string | string[] }[], own: unknown[]): void {
    const tables = ofType(run, "aws:dynamodb/table:Table").map((t) => t.outputs.arn);
    for (const resource of statements.flatMap((s) => asList(s.Resource))) {
        assert.ok([...own, ...tables].includes(resource), `the role may reach ${resource}`);
    }
}

const stacks: Record<string, StackUnderTest> = {};

describe("the program (index.ts) per stack", () => {
    before(async () => {
        stacks.dev = await runStack("dev");
        stacks.prod = await runStack("prod");
    });

    for (const stackName of ["dev", "prod"]) {
        describe(`${stackName} (Pulumi.${stackName}.yaml)`, () => {
            let config: PipelineConfig;
            let run: ProgramRun;
            let eventTopic: RecordedResource;
            let alarmTopic: RecordedResource;
            let provider: RecordedResource;

            before(() => {
                ({ config, run } = stacks[stackName]!);
                eventTopic = one(run, TYPES.topic, "events");
                alarmTopic = one(run, TYPES.topic, "alarms");
                provider = one(run, TYPES.provider, "aws");
            });

            it("gives each consumer exactly two queues, its queue and its dead-letter queue, redriving after maxReceiveCount", () => {
                assert.equal(ofType(run, TYPES.queue).length, 2 * config.consumers.length);
                for (const consumer of config.consumers) {
                    const component = consumerPart(run, TYPES.consumerQueue, consumer.name);
                    const queues = childrenOf(run, component, TYPES.queue);
                    assert.deepEqual(queues.map((q) => q.name).sort(), [consumer.name, `${consumer.name}-dlq`]);
                    const queue = one(run, TYPES.queue, consumer.name);
                    const deadLetterQueue = one(run, TYPES.queue, `${consumer.name}-dlq`);
                    assert.deepEqual(parseJson(queue.inputs.redrivePolicy), { deadLetterTargetArn: deadLetterQueue.outputs.arn, maxReceiveCount: consumer.maxReceiveCount });
                    assert.ok(queues.every((q) => q.inputs.sqsManagedSseEnabled === true));
                }
            });

            it("subscribes each consumer's queue to the event topic with its filter policy and a redrive to its own dead-letter queue", () => {
                assert.equal(ofType(run, TYPES.subscription).filter((s) => s.inputs.protocol === "sqs").length, config.consumers.length);
                for (const consumer of config.consumers) {
                    const subscription = one(run, TYPES.subscription, `${consumer.name}-subscription`).inputs;
                    assert.equal(subscription.topic, eventTopic.outputs.arn);
                    assert.equal(subscription.endpoint, one(run, TYPES.queue, consumer.name).outputs.arn);
                    assert.equal(subscription.rawMessageDelivery, true);
                    assert.deepEqual(parseJson(subscription.redrivePolicy), { deadLetterTargetArn: one(run, TYPES.queue, `${consumer.name}-dlq`).outputs.arn });
                    assert.deepEqual(subscription.filterPolicy === undefined ? undefined : parseJson(subscription.filterPolicy), consumer.filterPolicy);
                }
            });

            it("lets only the event topic send to each queue and dead-letter queue, over TLS only", () => {
                for (const consumer of config.consumers) {
                    for (const [policyName, queueName] of [[`${consumer.name}-policy`, consumer.name], [`${consumer.name}-dlq-policy`, `${consumer.name}-dlq`]]) {
                        const policy = one(run, TYPES.queuePolicy, policyName!);
                        const queue = one(run, TYPES.queue, queueName);
                        assert.equal(policy.inputs.queueUrl, queue.outputs.url);
                        const statements = statementsOf(policy.inputs.policy);
                        const allow = statements.filter((s) => s.Effect === "Allow");
                        assert.deepEqual(allow.map((s) => [s.Principal, s.Action, s.Resource, s.Condition]), [
                            [{ Service: "sns.amazonaws.com" }, "sqs:SendMessage", queue.outputs.arn, { ArnEquals: { "aws:SourceArn": eventTopic.outputs.arn } }],
                        ]);
                        assert.ok(statements.some((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false"));
                    }
                }
            });

            it("alarms on each queue's oldest message (at the consumer's threshold) and on its dead-letter queue", () => {
                for (const consumer of config.consumers) {
                    const age = one(run, TYPES.alarm, `${consumer.name}-age`).inputs;
                    assert.deepEqual([age.metricName, age.dimensions, age.threshold], [
                        "ApproximateAgeOfOldestMessage",
                        { QueueName: one(run, TYPES.queue, consumer.name).inputs.name },
                        consumer.maxMessageAgeSeconds,
                    ]);
                    const dlq = one(run, TYPES.alarm, `${consumer.name}-dlq-visible`).inputs;
                    assert.deepEqual([dlq.metricName, dlq.dimensions, dlq.comparisonOperator, dlq.threshold], [
                        "ApproximateNumberOfMessagesVisible",
                        { QueueName: one(run, TYPES.queue, `${consumer.name}-dlq`).inputs.name },
                        "GreaterThanThreshold",
                        0,
                    ]);
                }
            });

            it("consumes each lambda consumer's queue with its own function, mapping and least-privilege role", () => {
                const lambdas = config.consumers.filter((c) => c.kind === "lambda");
                assert.equal(ofType(run, TYPES.function).length, lambdas.length);
                assert.equal(ofType(run, TYPES.mapping).length, lambdas.length);
                for (const consumer of lambdas) {
                    const queue = one(run, TYPES.queue, consumer.name);
                    const fn = one(run, TYPES.function, consumer.name);
                    assert.equal(fn.parent, consumerPart(run, TYPES.queueFunction, consumer.name).urn);
                    assert.equal(fn.inputs.runtime, "nodejs22.x");
                    const mapping = one(run, TYPES.mapping, `${consumer.name}-mapping`).inputs;
                    assert.deepEqual([mapping.eventSourceArn, mapping.functionName], [queue.outputs.arn, fn.outputs.arn]);
                    assert.deepEqual(mapping.functionResponseTypes, ["ReportBatchItemFailures"]);
                    assert.deepEqual([mapping.batchSize, mapping.maximumBatchingWindowInSeconds, mapping.scalingConfig], [
                        config.lambda.batchSize,
                        config.lambda.batchingWindowSeconds,
                        { maximumConcurrency: config.lambda.maxConcurrency },
                    ]);
                    const statements = statementsOf(one(run, TYPES.rolePolicy, `${consumer.name}-policy`).inputs.policy);
                    const sqs = statements.filter((s) => asList(s.Action).some((a) => a.startsWith("sqs:")));
                    assert.deepEqual(sqs.map((s) => s.Resource), [queue.outputs.arn]);
                    assertOnlyOwnResources(run, statements, [queue.outputs.arn, `${String(one(run, TYPES.logGroup, `${consumer.name}-logs`).outputs.arn)}:*`]);
                    assert.ok(queue.inputs.visibilityTimeoutSeconds as number >= 6 * config.lambda.timeoutSeconds, `${consumer.name} visibility`);
                }
            });

            it("consumes each ecs consumer's queue with its own cluster, Fargate service and scaling, and no function", () => {
                const workers = config.consumers.filter((c) => c.kind === "ecs");
                assert.ok(workers.length > 0);
                assert.equal(ofType(run, TYPES.service).length, workers.length);
                assert.equal(ofType(run, TYPES.cluster).length, workers.length);
                for (const consumer of workers) {
                    const component = consumerPart(run, TYPES.workerService, consumer.name);
                    const queue = one(run, TYPES.queue, consumer.name);
                    const service = one(run, TYPES.service, consumer.name);
                    assert.equal(service.parent, component.urn);
                    assert.equal(service.inputs.launchType, "FARGATE");
                    assert.equal(service.inputs.cluster, one(run, TYPES.cluster, consumer.name).outputs.arn);
                    assert.deepEqual(ofType(run, TYPES.function).filter((f) => f.name === consumer.name), []);
                    const environment = containerEnvironment(run, consumer.name);
                    assert.equal(environment.QUEUE_URL, queue.outputs.url);
                    // The worker's heartbeat extends the same visibility timeout its queue has.
                    assert.equal(Number(environment.VISIBILITY_TIMEOUT_SECONDS), queue.inputs.visibilityTimeoutSeconds);
                    const target = one(run, TYPES.scalingTarget, `${consumer.name}-scaling`).inputs;
                    assert.deepEqual([target.minCapacity, target.maxCapacity], [config.worker.minTasks, config.worker.maxTasks]);
                    const statements = statementsOf(one(run, TYPES.rolePolicy, `${consumer.name}-task-policy`).inputs.policy);
                    const sqs = statements.filter((s) => asList(s.Action).some((a) => a.startsWith("sqs:")));
                    assert.deepEqual(sqs.map((s) => s.Resource), [queue.outputs.arn]);
                    assertOnlyOwnResources(run, statements, [queue.outputs.arn]);
                }
            });

            it("gives each consumer its alarms: two per queue, two per function, CPU, memory and two scaling alarms per service", () => {
                for (const consumer of config.consumers) {
                    const alarmsOf = (type: string) => childrenOf(run, consumerPart(run, type, consumer.name), TYPES.alarm).length;
                    assert.equal(alarmsOf(TYPES.consumerQueue), 2, consumer.name);
                    assert.equal(alarmsOf(consumer.kind === "lambda" ? TYPES.queueFunction : TYPES.workerService), consumer.kind === "lambda" ? 2 : 4, consumer.name);
                }
            });

            it("points every alarm's actions at the alarm topic, or at its own service's scaling policy", () => {
                const alarms = ofType(run, TYPES.alarm);
                const services = config.consumers.filter((c) => c.kind === "ecs").length;
                let scalingAlarms = 0;
                for (const alarm of alarms) {
                    const actions = alarm.inputs.alarmActions as string[];
                    assert.ok(actions.length > 0, `${alarm.name} has no actions`);
                    if (actions.every((a) => a === alarmTopic.outputs.arn)) {
                        assert.deepEqual(alarm.inputs.okActions, [alarmTopic.outputs.arn], alarm.name);
                        continue;
                    }
                    const policies = ofType(run, TYPES.scalingPolicy).filter((p) => p.parent === alarm.parent);
                    assert.ok(actions.length === 1 && policies.some((p) => p.outputs.arn === actions[0]), `${alarm.name} acts on ${actions.join(", ")}`);
                    scalingAlarms++;
                }
                assert.equal(scalingAlarms, 2 * services);
            });

            it("tags through one explicit provider's defaultTags (registered as JSON text)", () => {
                assert.equal(ofType(run, TYPES.provider).length, 1);
                assert.equal(typeof provider.inputs.defaultTags, "string");
                assert.deepEqual(parseJson(provider.inputs.defaultTags), {
                    tags: { Project: "event-pipeline", Environment: config.environment, Owner: config.owner, ManagedBy: "pulumi" },
                });
                assert.equal(provider.inputs.region, config.region);
            });

            it("registers every AWS resource with that provider, none with a default provider", () => {
                const aws = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
                assert.ok(aws.length > 30);
                const others = aws.filter((r) => r.provider !== provider.urn);
                assert.deepEqual(others.map((r) => `${r.type}::${r.name} → ${r.provider}`), []);
            });

            it("gives no resource a physical name except the dashboard (auto-naming lets stacks share an account)", () => {
                const named: string[] = [];
                for (const r of run.resources.filter((x) => x.custom && x.type.startsWith("aws:") && x.type !== TYPES.dashboard)) {
                    if (r.inputs.name !== undefined && r.inputs.name !== physicalName(r.type, r.name)) {
                        named.push(`${r.type}::${r.name} name=${String(r.inputs.name)}`);
                    }
                    if (r.inputs.namePrefix !== undefined) {
                        named.push(`${r.type}::${r.name} namePrefix=${String(r.inputs.namePrefix)}`);
                    }
                }
                assert.deepEqual(named, []);
                // A task definition's family is required; it derives from the auto-named cluster.
                for (const task of ofType(run, TYPES.taskDefinition)) {
                    assert.ok(String(task.inputs.family).startsWith(String(one(run, TYPES.cluster, task.name).inputs.name)), String(task.inputs.family));
                }
                assert.equal(one(run, TYPES.dashboard).inputs.dashboardName, `event-pipeline-${stackName}`);
            });

            it("retains every log group for the stack's logRetentionDays", () => {
                const logGroups = ofType(run, TYPES.logGroup);
                assert.equal(logGroups.length, config.consumers.length);
                assert.ok(logGroups.every((g) => g.inputs.retentionInDays === config.logRetentionDays));
            });

            it("has a dashboard widget for the topic and per queue, dead-letter queue, function and service", () => {
                const body = parseJson<{ widgets: { properties: { title: string } }[] }>(one(run, TYPES.dashboard).inputs.dashboardBody);
                const expected = ["Events published"];
                expected.push(...config.consumers.flatMap((c) => [`${c.name}: queue`, `${c.name}: dead-letter queue`]));
                expected.push(...config.consumers.filter((c) => c.kind === "lambda").map((c) => `${c.name}: function`));
                expected.push(...config.consumers.filter((c) => c.kind === "ecs").map((c) => `${c.name}: service`));
                assert.deepEqual(body.widgets.map((w) => w.properties.title), expected);
            });

            it("exports the topic ARN, queue and dead-letter queue URLs, function, cluster and service names and the dashboard URL", () => {
                const byConsumer = (kind: string | undefined, value: (name: string) => unknown) =>
                    Object.fromEntries(config.consumers.filter((c) => kind === undefined || c.kind === kind).map((c) => [c.name, value(c.name)]));
                // The issue's outputs; the program may export more (e.g. the idempotency table's name).
                const exported = Object.fromEntries(
                    ["topicArn", "alarmTopicArn", "queueUrls", "deadLetterQueueUrls", "functionNames", "clusterNames", "serviceNames", "dashboardUrl"].map((key) => [key, run.outputs[key]]),
                );
                assert.deepEqual(exported, {
                    topicArn: eventTopic.outputs.arn,
                    alarmTopicArn: alarmTopic.outputs.arn,
                    queueUrls: byConsumer(undefined, (n) => one(run, TYPES.queue, n).outputs.url),
                    deadLetterQueueUrls: byConsumer(undefined, (n) => one(run, TYPES.queue, `${n}-dlq`).outputs.url),
                    functionNames: byConsumer("lambda", (n) => one(run, TYPES.function, n).inputs.name),
                    clusterNames: byConsumer("ecs", (n) => one(run, TYPES.cluster, n).inputs.name),
                    serviceNames: byConsumer("ecs", (n) => one(run, TYPES.service, n).inputs.name),
                    dashboardUrl: `https://${config.region}.console.aws.amazon.com/cloudwatch/home?region=${config.region}#dashboards:name=event-pipeline-${stackName}`,
                });
            });
        });
    }

    describe("prod's differences from dev", () => {
        let dev: ProgramRun;
        let prod: ProgramRun;

        before(() => {
            dev = stacks.dev!.run;
            prod = stacks.prod!.run;
        });

        const protectedOf = (run: ProgramRun) => run.resources.filter((r) => r.protect).map((r) => `${r.type}::${r.name}`).sort();

        it("protects the event topic and every queue in prod, and nothing in dev", () => {
            const expected = [`${TYPES.topic}::events`, ...ofType(prod, TYPES.queue).map((q) => `${TYPES.queue}::${q.name}`)].sort();
            assert.deepEqual(protectedOf(prod), expected);
            assert.deepEqual(protectedOf(dev), []);
        });

        it("puts a NAT gateway in every AZ in prod, none in dev", () => {
            assert.deepEqual(one(prod, TYPES.vpc).inputs.natGateways, { strategy: "OnePerAz" });
            assert.deepEqual(one(dev, TYPES.vpc).inputs.natGateways, { strategy: "None" });
            assert.deepEqual(one(dev, TYPES.vpc).inputs.subnetSpecs, [{ type: "Public" }]);
        });

        it("runs prod's tasks in private subnets without a public IP, dev's in public subnets with one", () => {
            const network = (run: ProgramRun) => one(run, TYPES.service, "order-fulfilment").inputs.networkConfiguration as { subnets: string[]; assignPublicIp: boolean };
            assert.deepEqual([network(prod).subnets, network(prod).assignPublicIp], [one(prod, TYPES.vpc).outputs.privateSubnetIds, false]);
            assert.deepEqual([network(dev).subnets, network(dev).assignPublicIp], [one(dev, TYPES.vpc).outputs.publicSubnetIds, true]);
            const group = one(dev, TYPES.securityGroup).inputs;
            assert.deepEqual(group.ingress, []);
        });

        it("runs at least two tasks per service in prod, and scales dev to zero", () => {
            for (const service of ofType(prod, TYPES.service)) {
                assert.ok((service.inputs.desiredCount as number) >= 2);
                assert.ok((one(prod, TYPES.scalingTarget, `${service.name}-scaling`).inputs.minCapacity as number) >= 2);
            }
            assert.ok(ofType(dev, TYPES.scalingTarget).every((t) => t.inputs.minCapacity === 0));
        });

        it("keeps logs 90 days in prod and 14 in dev", () => {
            assert.ok(ofType(prod, TYPES.logGroup).every((g) => g.inputs.retentionInDays === 90));
            assert.ok(ofType(dev, TYPES.logGroup).every((g) => g.inputs.retentionInDays === 14));
        });

        it("subscribes the on-call e-mails to the alarm topic in prod only", () => {
            const emails = (run: ProgramRun) => ofType(run, TYPES.subscription).filter((s) => s.inputs.protocol === "email");
            assert.deepEqual(emails(prod).map((s) => [s.inputs.endpoint, s.inputs.topic]), [
                ["oncall@example.com", one(prod, TYPES.topic, "alarms").outputs.arn],
                ["platform-alerts@example.com", one(prod, TYPES.topic, "alarms").outputs.arn],
            ]);
            assert.deepEqual(emails(dev), []);
        });

        it("lets dev delete its image repository with its images, not prod", () => {
            assert.equal(one(dev, TYPES.repository).inputs.forceDelete, true);
            assert.equal(one(prod, TYPES.repository).inputs.forceDelete, false);
        });
    });

    describe("other configurations", () => {
        it("runs a two-key stack: one Lambda consumer, no network, no worker image", async () => {
            const run = await runConfig({ environment: "dev", owner: "platform-team" }, "dev");
            assert.deepEqual(ofType(run, TYPES.consumerQueue).map((c) => c.name), ["events"]);
            assert.equal(ofType(run, TYPES.function).length, 1);
            assert.deepEqual([ofType(run, TYPES.vpc).length, ofType(run, TYPES.workerService).length, ofType(run, TYPES.workerImage).length], [0, 0, 0]);
        });

        it("keeps every URN unique when consumers share names with the fixed components", async () => {
            const run = await runConfig({
                environment: "test",
                owner: "t",
                consumers: ["events", "alarms", "network", "dashboard"].map((name) => ({ name, kind: "lambda" })).concat([{ name: "worker", kind: "ecs" }]),
                worker: { build: true },
            });
            const urns = run.resources.map((r) => r.urn);
            assert.equal(new Set(urns).size, urns.length);
            assert.equal(ofType(run, TYPES.queue).length, 10);
        });
    });

    describe("registration requests (seen by a spy on the mock monitor), and a stack with a given worker image", () => {
        const registrations: { type: string; providers: Record<string, string> }[] = [];
        let rejection: unknown;
        let afterRejection = 0;
        const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:2.1.0";
        let withImage: ProgramRun;

        before(async () => {
            const original = MockMonitor.prototype.registerResource;
            MockMonitor.prototype.registerResource = function (this: MockMonitor, ...args: Parameters<typeof original>) {
                const [request] = args as unknown as [{ getType(): string; getProvidersMap(): { forEach(f: (ref: string, pkg: string) => void): void } }];
                const providers: Record<string, string> = {};
                request.getProvidersMap().forEach((ref, pkg) => (providers[pkg] = ref));
                registrations.push({ type: request.getType(), providers });
                return original.apply(this, args);
            };
            try {
                rejection = await runConfig({ environment: "staging", owner: "t" }).then(() => undefined, (e: unknown) => e);
                // Registrations are asynchronous: give any that were started time to arrive.
                await new Promise((resolve) => setTimeout(resolve, 100));
                afterRejection = registrations.length;
                withImage = await runConfig({ environment: "test", owner: "t", consumers: [{ name: "jobs", kind: "ecs" }], worker: { image } });
            } finally {
                MockMonitor.prototype.registerResource = original;
            }
        });

        it("stops on an invalid config with a ConfigError (a RunError) before registering any resource", () => {
            assert.ok(pulumi.RunError.isInstance(rejection), `rejected with ${String(rejection)}`);
            assert.match((rejection as Error).message, /event-pipeline:environment = "staging"/);
            assert.equal(afterRejection, 0);
            // The same spy does see a valid run's registrations.
            assert.ok(registrations.length > 10);
        });

        it("uses a given worker image as is, without building one", () => {
            assert.equal(ofType(withImage, TYPES.workerImage).length, 0);
            const [container] = parseJson<ContainerDefinition[]>(one(withImage, TYPES.taskDefinition, "jobs").inputs.containerDefinitions);
            assert.equal(container!.image, image);
        });

        // awsx's VPC is a remote component: its subnets, NAT gateways and EIPs get the provider (and
        // its defaultTags) only through the providers map the engine hands down from Network.
        it("hands the explicit aws provider to the Network component, whose awsx VPC inherits it in the engine", () => {
            const network = registrations.find((r) => r.type === TYPES.network);
            assert.ok(network);
            assert.match(network.providers.aws ?? "", /^urn:pulumi:test::event-pipeline::pulumi:providers:aws::aws::/);
        });
    });

    describe("preview (a first `pulumi preview`: computed attributes unknown)", () => {
        let dev: StackUnderTest;
        let prod: StackUnderTest;

        before(async () => {
            dev = await runStack("dev", true);
            prod = await runStack("prod", true);
        });

        it("runs both stacks without throwing and registers the same resources as an update", () => {
            for (const [preview, update] of [[dev.run, stacks.dev!.run], [prod.run, stacks.prod!.run]] as const) {
                assert.equal(preview.preview, true);
                assert.deepEqual(preview.resources.map((r) => r.urn).sort(), update.resources.map((r) => r.urn).sort());
            }
        });

        it("leaves outputs built from ARNs and URLs unknown", () => {
            for (const { run } of [dev, prod]) {
                assert.equal(run.outputs.topicArn, undefined);
                assert.equal(run.outputs.alarmTopicArn, undefined);
                assert.equal(run.outputs.queueUrls, undefined);
                assert.equal(run.outputs.deadLetterQueueUrls, undefined);
            }
        });

        it("sends values built from unknown ARNs as unknown, with the resource they came from", () => {
            const subscription = one(dev.run, TYPES.subscription, "order-audit-subscription");
            assert.equal(subscription.inputs.endpoint, UNKNOWN_SENTINELS.string);
            assert.deepEqual(subscription.propertyDependencies.endpoint, [one(dev.run, TYPES.queue, "order-audit").urn]);
        });
    });
});
