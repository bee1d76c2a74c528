/**
 * The part of a stack that carries events, read from the resources the program registered under
 * the mock runtime (`tools/mock-runtime.ts`, update mode): the same inputs `pulumi up` would send
 * to AWS, never a second hand-written description of the pipeline. Values built from other
 * resources' outputs (a queue's ARN in a subscription, the table's name in an environment) arrive
 * resolved, as the mocks answer them; they are matched back to the resources they came from.
 */
import { ConsumerEnv } from "../../consumers/shared/settings";
import { isUnknownSentinel, SECRET_SIGNATURE, SIGNATURE_KEY } from "../analyzer/marshal";
import type { RecordedResource } from "../mock-runtime";

export const TYPES = {
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    table: "aws:dynamodb/table:Table",
    function: "aws:lambda/function:Function",
    mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    scalingTarget: "aws:appautoscaling/target:Target",
} as const;

export interface TopicSpec {
    /** Physical name, as the provider would create it. */
    name: string;
    /** The ARN the mocks gave it: other resources refer to the topic by it. */
    arn: string;
    /** SNS attributes (CreateTopic / SetTopicAttributes names and string values). */
    attributes: Record<string, string>;
}

export interface QueueSpec {
    /** Logical name in the program (`order-audit`, `order-audit-dlq`). */
    logicalName: string;
    name: string;
    arn: string;
    url: string;
    /** SQS attributes as CreateQueue takes them; ARNs inside are the recorded ones. */
    attributes: Record<string, string>;
    visibilityTimeoutSeconds: number;
    redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
    /** The `ConsumerQueue` component this queue belongs to, if any. */
    component?: string;
}

export interface SubscriptionSpec {
    logicalName: string;
    topicArn: string;
    protocol: string;
    endpoint: string;
    /** SNS subscription attributes (FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy, …). */
    attributes: Record<string, string>;
}

export interface TableSpec {
    name: string;
    hashKey: string;
    rangeKey?: string;
    attributeDefinitions: { name: string; type: string }[];
    billingMode: string;
    ttl?: { attributeName: string; enabled: boolean };
    serverSideEncryption: boolean;
    deletionProtection: boolean;
}

interface ConsumerBase {
    /** The consumer's name in the stack config (its `ConsumerQueue` component). */
    name: string;
    queueArn: string;
    /** Environment variables exactly as the program sets them (secrets unwrapped). */
    environment: Record<string, string>;
}

export interface LambdaConsumerSpec extends ConsumerBase {
    kind: "lambda";
    functionName: string;
    functionArn: string;
    runtime: string;
    /** `file.export`, relative to `codeDir`. */
    handler: string;
    /** The deployed directory (the code archive's path), relative to the project root. */
    codeDir: string;
    timeoutSeconds: number;
    memoryMb: number;
    logFormat?: string;
    logGroup?: string;
    batchSize: number;
    batchingWindowSeconds: number;
    reportBatchItemFailures: boolean;
    maximumConcurrency?: number;
}

export interface EcsConsumerSpec extends ConsumerBase {
    kind: "ecs";
    serviceName: string;
    image: string;
    /** The container's stop timeout: how long ECS waits between SIGTERM and SIGKILL. */
    stopTimeoutSeconds?: number;
    /** Tasks running when idle (the scaling target's minimum, at least one here). */
    minTasks: number;
}

export type ConsumerSpec = LambdaConsumerSpec | EcsConsumerSpec;

export interface Topology {
    topics: TopicSpec[];
    queues: QueueSpec[];
    subscriptions: SubscriptionSpec[];
    tables: TableSpec[];
    consumers: ConsumerSpec[];
}

/** The recorded graph cannot be run locally; the message says what is missing or unknown. */
export class TopologyError extends Error {
    public override readonly name = "TopologyError";
}

/** A wire value with secrets unwrapped; unknown values (a preview) are refused. */
function plain(value: unknown, where: string): unknown {
    if (isUnknownSentinel(value)) {
        throw new TopologyError(`${where} is unknown: a local run needs the program run in update mode (preview: false)`);
    }
    if (Array.isArray(value)) {
        return value.map((item, index) => plain(item, `${where}[${index}]`));
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SIGNATURE_KEY] === SECRET_SIGNATURE) {
            return plain(record.value, where);
        }
        return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, plain(item, `${where}.${key}`)]));
    }
    return value;
}

function text(resource: RecordedResource, key: string): string | undefined {
    const value = plain(resource.inputs[key], `${resource.name}.${key}`);
    return value === undefined || value === null ? undefined : String(value);
}

function required(resource: RecordedResource, key: string, source: "inputs" | "outputs" = "inputs"): string {
    const value = plain(resource[source][key], `${resource.type} ${resource.name}: ${key}`);
    if (value === undefined || value === null || value === "") {
        throw new TopologyError(`${resource.type} ${resource.name} has no ${key}`);
    }
    return String(value);
}

function numberInput(resource: RecordedResource, key: string, fallback: number): number {
    const value = plain(resource.inputs[key], `${resource.name}.${key}`);
    return value === undefined || value === null ? fallback : Number(value);
}

/** The last `::` segment of a URN is the resource's name. */
function urnName(urn: string | undefined): string | undefined {
    return urn?.split("::").pop();
}

/** Pulumi's `aws.sqs.Queue` inputs as SQS queue attributes. */
const QUEUE_ATTRIBUTES: Readonly<Record<string, string>> = {
    visibilityTimeoutSeconds: "VisibilityTimeout",
    messageRetentionSeconds: "MessageRetentionPeriod",
    receiveWaitTimeSeconds: "ReceiveMessageWaitTimeSeconds",
    delaySeconds: "DelaySeconds",
    maxMessageSize: "MaximumMessageSize",
    redrivePolicy: "RedrivePolicy",
    redriveAllowPolicy: "RedriveAllowPolicy",
    sqsManagedSseEnabled: "SqsManagedSseEnabled",
    kmsMasterKeyId: "KmsMasterKeyId",
    kmsDataKeyReusePeriodSeconds: "KmsDataKeyReusePeriodSeconds",
    fifoQueue: "FifoQueue",
    contentBasedDeduplication: "ContentBasedDeduplication",
    policy: "Policy",
};

/** Pulumi's `aws.sns.TopicSubscription` inputs as SNS subscription attributes. */
const SUBSCRIPTION_ATTRIBUTES: Readonly<Record<string, string>> = {
    filterPolicy: "FilterPolicy",
    filterPolicyScope: "FilterPolicyScope",
    rawMessageDelivery: "RawMessageDelivery",
    redrivePolicy: "RedrivePolicy",
    deliveryPolicy: "DeliveryPolicy",
};

const TOPIC_ATTRIBUTES: Readonly<Record<string, string>> = {
    kmsMasterKeyId: "KmsMasterKeyId",
    fifoTopic: "FifoTopic",
    contentBasedDeduplication: "ContentBasedDeduplication",
    policy: "Policy",
    deliveryPolicy: "DeliveryPolicy",
};

function attributesOf(resource: RecordedResource, names: Readonly<Record<string, string>>): Record<string, string> {
    const attributes: Record<string, string> = {};
    for (const [input, attribute] of Object.entries(names)) {
        const value = text(resource, input);
        if (value !== undefined) {
            attributes[attribute] = value;
        }
    }
    return attributes;
}

function parseJson(textValue: string, where: string): unknown {
    try {
        return JSON.parse(textValue);
    } catch (error) {
        throw new TopologyError(`${where} is not JSON: ${(error as Error).message}`);
    }
}

function readQueue(resource: RecordedResource): QueueSpec {
    const attributes = attributesOf(resource, QUEUE_ATTRIBUTES);
    let redrive: QueueSpec["redrive"];
    if (attributes.RedrivePolicy !== undefined) {
        const policy = parseJson(attributes.RedrivePolicy, `${resource.name}.redrivePolicy`) as { deadLetterTargetArn?: string; maxReceiveCount?: number };
        if (typeof policy.deadLetterTargetArn === "string" && policy.maxReceiveCount !== undefined) {
            redrive = { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) };
        }
    }
    const parentType = resource.parent?.split("::")[2];
    return {
        logicalName: resource.name,
        name: required(resource, "name"),
        arn: required(resource, "arn", "outputs"),
        url: required(resource, "url", "outputs"),
        attributes,
        // SQS's default when the program sets none.
        visibilityTimeoutSeconds: numberInput(resource, "visibilityTimeoutSeconds", 30),
        redrive,
        component: parentType === "event-pipeline:messaging:ConsumerQueue" ? urnName(resource.parent) : undefined,
    };
}

function readTable(resource: RecordedResource): TableSpec {
    const ttl = plain(resource.inputs.ttl, `${resource.name}.ttl`) as { attributeName?: string; enabled?: boolean } | undefined;
    const sse = plain(resource.inputs.serverSideEncryption, `${resource.name}.serverSideEncryption`) as { enabled?: boolean } | undefined;
    const attributes = (plain(resource.inputs.attributes, `${resource.name}.attributes`) ?? []) as { name: string; type: string }[];
    return {
        name: required(resource, "name"),
        hashKey: required(resource, "hashKey"),
        rangeKey: text(resource, "rangeKey"),
        attributeDefinitions: attributes.map((a) => ({ name: a.name, type: a.type })),
        billingMode: text(resource, "billingMode") ?? "PROVISIONED",
        ttl: ttl?.attributeName ? { attributeName: ttl.attributeName, enabled: ttl.enabled === true } : undefined,
        serverSideEncryption: sse?.enabled === true,
        deletionProtection: plain(resource.inputs.deletionProtectionEnabled, resource.name) === true,
    };
}

function stringRecord(value: unknown): Record<string, string> {
    return Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>).map(([key, item]) => [key, String(item)]));
}

/** Reads the event pipeline out of a recorded program run. */
export function readTopology(resources: RecordedResource[]): Topology {
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    const queues = ofType(TYPES.queue).map(readQueue);
    const queueByArn = new Map(queues.map((q) => [q.arn, q]));
    const queueByUrl = new Map(queues.map((q) => [q.url, q]));
    const queueByName = new Map(queues.map((q) => [q.name, q]));

    for (const policy of ofType(TYPES.queuePolicy)) {
        const queue = queueByUrl.get(required(policy, "queueUrl"));
        if (queue !== undefined) {
            queue.attributes.Policy = required(policy, "policy");
        }
    }

    const subscriptions: SubscriptionSpec[] = ofType(TYPES.subscription).map((s) => ({
        logicalName: s.name,
        topicArn: required(s, "topic"),
        protocol: required(s, "protocol"),
        endpoint: required(s, "endpoint"),
        attributes: attributesOf(s, SUBSCRIPTION_ATTRIBUTES),
    }));
    const topicArnsWithQueues = new Set(subscriptions.filter((s) => s.protocol === "sqs").map((s) => s.topicArn));
    // Only the topics that fan out to queues carry events; the alarm topic e-mails people.
    const topics: TopicSpec[] = ofType(TYPES.topic)
        .map((t) => ({ name: required(t, "name"), arn: required(t, "arn", "outputs"), attributes: attributesOf(t, TOPIC_ATTRIBUTES) }))
        .filter((t) => topicArnsWithQueues.has(t.arn));
    for (const policy of ofType(TYPES.topicPolicy)) {
        const topic = topics.find((t) => t.arn === required(policy, "arn"));
        if (topic !== undefined) {
            topic.attributes.Policy = required(policy, "policy");
        }
    }

    const consumers: ConsumerSpec[] = [];
    const functions = ofType(TYPES.function);
    for (const mapping of ofType(TYPES.mapping)) {
        const queue = queueByArn.get(required(mapping, "eventSourceArn"));
        if (queue === undefined) {
            continue; // not an SQS source of this stack
        }
        const target = required(mapping, "functionName");
        const fn = functions.find((f) => f.outputs.arn === target || f.inputs.name === target);
        if (fn === undefined) {
            throw new TopologyError(`Event source mapping ${mapping.name} invokes ${target}, which the program did not register`);
        }
        const code = plain(fn.inputs.code, `${fn.name}.code`) as { path?: string } | undefined;
        if (code?.path === undefined) {
            throw new TopologyError(`Lambda function ${fn.name} has no code directory (a FileArchive) to load the handler from`);
        }
        const environment = plain(fn.inputs.environment, `${fn.name}.environment`) as { variables?: Record<string, unknown> } | undefined;
        const logging = plain(fn.inputs.loggingConfig, `${fn.name}.loggingConfig`) as { logFormat?: string; logGroup?: string } | undefined;
        const scaling = plain(mapping.inputs.scalingConfig, `${mapping.name}.scalingConfig`) as { maximumConcurrency?: number } | undefined;
        const responseTypes = (plain(mapping.inputs.functionResponseTypes, mapping.name) ?? []) as string[];
        consumers.push({
            kind: "lambda",
            name: queue.component ?? urnName(fn.parent) ?? fn.name,
            queueArn: queue.arn,
            environment: stringRecord(environment?.variables),
            functionName: required(fn, "name"),
            functionArn: required(fn, "arn", "outputs"),
            runtime: text(fn, "runtime") ?? "unknown",
            handler: text(fn, "handler") ?? "index.handler",
            codeDir: code.path,
            // Lambda's defaults when the program sets none.
            timeoutSeconds: numberInput(fn, "timeout", 3),
            memoryMb: numberInput(fn, "memorySize", 128),
            logFormat: logging?.logFormat,
            logGroup: logging?.logGroup,
            batchSize: numberInput(mapping, "batchSize", 10),
            batchingWindowSeconds: numberInput(mapping, "maximumBatchingWindowInSeconds", 0),
            reportBatchItemFailures: responseTypes.includes("ReportBatchItemFailures"),
            maximumConcurrency: scaling?.maximumConcurrency,
        });
    }

    const taskDefinitions = ofType(TYPES.taskDefinition);
    const scalingTargets = ofType(TYPES.scalingTarget);
    for (const service of ofType(TYPES.service)) {
        const taskDefinitionArn = required(service, "taskDefinition");
        const taskDefinition = taskDefinitions.find((t) => t.outputs.arn === taskDefinitionArn || t.inputs.family === taskDefinitionArn);
        if (taskDefinition === undefined) {
            throw new TopologyError(`ECS service ${service.name} runs task definition ${taskDefinitionArn}, which the program did not register`);
        }
        const containers = parseJson(required(taskDefinition, "containerDefinitions"), `${taskDefinition.name}.containerDefinitions`) as {
            name?: string;
            image?: string;
            essential?: boolean;
            stopTimeout?: number;
            environment?: { name: string; value: string }[];
        }[];
        for (const container of containers) {
            const environment = Object.fromEntries((container.environment ?? []).map((e) => [e.name, String(e.value)]));
            const queueUrl = environment[ConsumerEnv.QUEUE_URL];
            const queue = queueUrl === undefined ? undefined : (queueByUrl.get(queueUrl) ?? queueByName.get(queueUrl.split("/").pop() ?? ""));
            if (queue === undefined) {
                continue; // a container that reads no queue of this stack
            }
            const serviceName = required(service, "name");
            const target = scalingTargets.find((t) => String(t.inputs.resourceId ?? "").endsWith(`/${serviceName}`));
            const desired = numberInput(service, "desiredCount", 1);
            const minTasks = target === undefined ? desired : numberInput(target, "minCapacity", desired);
            consumers.push({
                kind: "ecs",
                name: queue.component ?? urnName(service.parent) ?? service.name,
                queueArn: queue.arn,
                environment,
                serviceName,
                image: container.image ?? "unknown",
                stopTimeoutSeconds: container.stopTimeout,
                minTasks,
            });
        }
    }

    return { topics, queues, subscriptions, tables: ofType(TYPES.table).map(readTable), consumers };
}

/** The queue a consumer reads. */
export function consumerQueue(topology: Topology, consumer: ConsumerSpec): QueueSpec {
    const queue = topology.queues.find((q) => q.arn === consumer.queueArn);
    if (queue === undefined) {
        throw new TopologyError(`Consumer ${consumer.name} reads ${consumer.queueArn}, which the program did not register`);
    }
    return queue;
}

/** The dead-letter queue of a consumer's queue, if its redrive policy names one of this stack. */
export function deadLetterQueueOf(topology: Topology, queue: QueueSpec): QueueSpec | undefined {
    return queue.redrive === undefined ? undefined : topology.queues.find((q) => q.arn === queue.redrive?.deadLetterTargetArn);
}
