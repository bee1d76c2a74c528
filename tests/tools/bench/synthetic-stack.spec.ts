/**
 * The benchmark's synthetic stacks (tools/bench/synthetic-stack.ts): cloned from the real program,
 * every reference resolving inside the stack, and passing the real pack, so `npm run bench`
 * measures the cost of judging a healthy stack. A ~100-resource stack keeps this spec fast.
 */
import { strict as assert } from "node:assert";
import { UNKNOWN_SENTINELS } from "../../../tools/analyzer";
import { NULL_PACK_DIR, timePack } from "../../../tools/bench/pack-timing";
import {
    consumerName,
    consumersFor,
    generateStack,
    recordTemplate,
    splitTemplate,
    StackTemplate,
    TEMPLATE_CONSUMER,
} from "../../../tools/bench/synthetic-stack";
import { toAnalyzedResources } from "../../../tools/check/judge";
import { RecordedResource } from "../../../tools/mock-runtime";
import { THIS_PROJECT_POLICY_PACK_DIR } from "../../../tools/project";

const T = {
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    function: "aws:lambda/function:Function",
    mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    consumerQueue: "event-pipeline:messaging:ConsumerQueue",
    queueFunction: "event-pipeline:compute:QueueFunction",
} as const;

/** What one Lambda consumer registers (index.ts, ConsumerQueue and QueueFunction). */
const PER_CONSUMER: Record<string, number> = {
    [T.consumerQueue]: 1,
    [T.queueFunction]: 1,
    [T.queue]: 2, // the queue and its dead-letter queue
    [T.queuePolicy]: 2,
    [T.subscription]: 1,
    [T.function]: 1,
    [T.mapping]: 1,
    [T.logGroup]: 1,
    [T.role]: 1,
    [T.rolePolicy]: 1,
};

function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

function countByType(resources: RecordedResource[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of resources) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    return counts;
}

/** The set of a property's values across a type's resources (outputs: what other resources refer to). */
function identifiers(resources: RecordedResource[], type: string, property: string): Set<unknown> {
    return new Set(ofType(resources, type).map((r) => r.outputs[property]));
}

describe("bench: synthetic stacks cloned from the real program", function () {
    this.timeout(120_000);
    let template: StackTemplate;
    let stack: RecordedResource[];
    let consumers: number;

    before(async () => {
        template = await recordTemplate({ stack: "dev" });
        consumers = consumersFor(template, 100);
        stack = generateStack(template, consumers);
    });

    it("the template is one Lambda consumer of the real types, and the shared part names none", () => {
        assert.deepEqual(Object.fromEntries([...countByType(template.consumer)].filter(([type]) => type !== T.alarm)), PER_CONSUMER);
        assert.ok(ofType(template.consumer, T.alarm).length >= 4, "queue age, DLQ, function errors and throttles alarms");
        assert.ok(template.consumer.every((r) => r.urn.includes(TEMPLATE_CONSUMER)));
        const sharedTypes = new Set(template.shared.map((r) => r.type));
        for (const type of ["pulumi:providers:aws", "aws:sns/topic:Topic", T.dashboard]) {
            assert.ok(sharedTypes.has(type), `shared part lacks ${type}`);
        }
        // Lambda consumers only: nothing of the ECS worker (network, image, cluster) is built.
        assert.ok(![...sharedTypes].some((type) => type.startsWith("aws:ecs/") || type.startsWith("awsx:")), [...sharedTypes].join(", "));
    });

    it("has ~100 resources: the shared part and each consumer's full set", () => {
        assert.ok(stack.length >= 90 && stack.length <= 110, `${stack.length} resources`);
        assert.equal(stack.length, template.shared.length + consumers * template.consumer.length);
        const counts = countByType(stack);
        for (const [type, perConsumer] of Object.entries(PER_CONSUMER)) {
            assert.equal(counts.get(type), perConsumer * consumers, type);
        }
        assert.ok(!JSON.stringify(stack).includes(TEMPLATE_CONSUMER), "the template name is replaced everywhere");
        for (let i = 0; i < consumers; i++) {
            assert.ok(stack.some((r) => r.type === T.function && r.name === consumerName(i)), consumerName(i));
        }
    });

    it("URNs are unique and every parent, provider and dependency is a resource of the stack", () => {
        const urns = new Set(stack.map((r) => r.urn));
        assert.equal(urns.size, stack.length);
        for (const r of stack) {
            const referenced = [r.parent, r.provider, ...r.dependencies, ...Object.values(r.propertyDependencies).flat()].filter((u) => u !== undefined);
            for (const urn of referenced) {
                assert.ok(urns.has(urn), `${r.urn} refers to ${urn}`);
            }
        }
        // The parent's type chain is kept: a consumer's queue lives under its ConsumerQueue.
        const queue = stack.find((r) => r.type === T.queue && r.name === consumerName(1))!;
        assert.equal(queue.urn, `urn:pulumi:dev::event-pipeline::${T.consumerQueue}$${T.queue}::${consumerName(1)}`);
    });

    it("references resolve: alarms, mappings, subscriptions, redrive, queue and role policies, the dashboard", () => {
        const queueNames = identifiers(stack, T.queue, "name");
        const queueArns = identifiers(stack, T.queue, "arn");
        const queueUrls = identifiers(stack, T.queue, "url");
        const functionNames = identifiers(stack, T.function, "name");
        const functionArns = identifiers(stack, T.function, "arn");
        const roleNames = identifiers(stack, T.role, "name");
        const roleArns = identifiers(stack, T.role, "arn");
        assert.equal(queueNames.size, 2 * consumers, "every queue has its own name");

        for (const alarm of ofType(stack, T.alarm)) {
            const dimensions = (alarm.inputs.dimensions ?? {}) as Record<string, string>;
            if (dimensions.QueueName !== undefined) {
                assert.ok(queueNames.has(dimensions.QueueName), `${alarm.name}: QueueName ${dimensions.QueueName}`);
            }
            if (dimensions.FunctionName !== undefined) {
                assert.ok(functionNames.has(dimensions.FunctionName), `${alarm.name}: FunctionName ${dimensions.FunctionName}`);
            }
        }
        const alarmedQueues = new Set<unknown>(ofType(stack, T.alarm).map((a) => (a.inputs.dimensions as Record<string, string> | undefined)?.QueueName));
        assert.deepEqual([...queueNames].filter((name) => !alarmedQueues.has(name)), [], "every queue has an alarm");
        for (const mapping of ofType(stack, T.mapping)) {
            assert.ok(queueArns.has(mapping.inputs.eventSourceArn), `${mapping.name}: eventSourceArn`);
            assert.ok(functionArns.has(mapping.inputs.functionName), `${mapping.name}: functionName`);
        }
        for (const subscription of ofType(stack, T.subscription)) {
            assert.ok(queueArns.has(subscription.inputs.endpoint), `${subscription.name}: endpoint`);
        }
        for (const queue of ofType(stack, T.queue).filter((q) => q.inputs.redrivePolicy !== undefined)) {
            const { deadLetterTargetArn } = JSON.parse(queue.inputs.redrivePolicy as string) as { deadLetterTargetArn: string };
            assert.ok(queueArns.has(deadLetterTargetArn), `${queue.name}: redrive target`);
        }
        for (const policy of ofType(stack, T.queuePolicy)) {
            assert.ok(queueUrls.has(policy.inputs.queueUrl), `${policy.name}: queueUrl`);
        }
        for (const policy of ofType(stack, T.rolePolicy)) {
            assert.ok(roleNames.has(policy.inputs.role), `${policy.name}: role`);
        }
        for (const fn of ofType(stack, T.function)) {
            assert.ok(roleArns.has(fn.inputs.role), `${fn.name}: role`);
        }
        const [dashboard] = ofType(stack, T.dashboard);
        const body = dashboard.inputs.dashboardBody as string;
        for (const name of queueNames) {
            assert.ok(body.includes(`"${String(name)}"`), `the dashboard graphs ${String(name)}`);
        }
        assert.equal(new Set(dashboard.propertyDependencies.dashboardBody).size, dashboard.propertyDependencies.dashboardBody.length);
    });

    it("the real pack finds no violation on it, nor does the null pack", async () => {
        const resources = toAnalyzedResources(stack);
        // Judged as `npm run check` judges: with the pack's config.dev.json.
        const full = await timePack(THIS_PROJECT_POLICY_PACK_DIR, resources, { stack: "dev", dryRun: false });
        assert.deepEqual(full.violations, []);
        const none = await timePack(NULL_PACK_DIR, resources, { stack: "dev", dryRun: false });
        assert.deepEqual(none.violations, []);
    });

    it("in preview (outputs unknown, references by property dependencies) the real pack finds no violation either", async () => {
        const previewTemplate = await recordTemplate({ stack: "dev", preview: true });
        const previewStack = generateStack(previewTemplate, consumersFor(previewTemplate, 100));
        const queue = previewStack.find((r) => r.type === T.queue)!;
        assert.equal(queue.outputs.arn, UNKNOWN_SENTINELS.string);
        const full = await timePack(THIS_PROJECT_POLICY_PACK_DIR, toAnalyzedResources(previewStack), { stack: "dev", dryRun: true });
        assert.deepEqual(full.violations, []);
    });

    it("a shared value naming the template consumer outside any list is refused, not silently kept", () => {
        const base = template.shared[0];
        const bad = { ...base, inputs: { ...base.inputs, note: `${TEMPLATE_CONSUMER}-x` } };
        const split = splitTemplate({ stack: "dev", preview: false, outputs: {}, resources: [bad, ...template.consumer] });
        assert.throws(() => generateStack(split, 2), /names the template consumer outside a list/);
    });
});
