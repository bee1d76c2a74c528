/**
 * Valid ("happy path") resources of the event pipeline, as the engine hands them to policies, for
 * the SQS, SNS and Lambda policy specs: a topic → queue (with a dead-letter queue) → function
 * pipeline that passes every one of those policies. Specs change one thing per case with `change`,
 * `remove` and `add`.
 *
 * `pipeline("deployed")` is the stack after an update: computed attributes (`arn`, `url`, `id`)
 * known. `pipeline("preview")` is the first preview of a new stack: those attributes and every
 * value built from them (ARNs in policies, alarm dimensions, redrive policies) are the engine's
 * unknown sentinel, and `propertyDependencies` say which resource each came from — as the engine
 * sends them in both cases.
 */
import { FixtureResource, UNKNOWN } from "./harness";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";

export type Phase = "deployed" | "preview";

export const queueArn = (physicalName: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${physicalName}`;
export const queueUrl = (physicalName: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physicalName}`;
export const topicArn = (physicalName: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${physicalName}`;
export const functionArn = (physicalName: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physicalName}`;

/** Physical names, as auto-naming gives them (known in both phases: the provider's Check fills them in). */
export const PHYSICAL = {
    topic: "orders-topic-1a2b3c4",
    queue: "orders-queue-5d6e7f8",
    dlq: "orders-dlq-9a0b1c2",
    worker: "orders-worker-3d4e5f6",
} as const;

export function tlsDenyStatement(service: "sqs" | "sns", resource: string): Record<string, unknown> {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: `${service}:*`,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

export function snsSendStatement(queue: string, topic: string): Record<string, unknown> {
    return {
        Sid: "AllowTopic",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queue,
        Condition: { ArnEquals: { "aws:SourceArn": topic } },
    };
}

export function policyJson(...statements: Record<string, unknown>[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The pipeline's resources. `copy` (for stacks of many pipelines) suffixes every logical and
 * physical name, so that copies never refer to one another.
 */
export function pipeline(phase: Phase, copy = ""): FixtureResource[] {
    const known = phase === "deployed";
    const computed = (value: string) => (known ? value : UNKNOWN);
    const built = (value: () => string) => (known ? value() : UNKNOWN);
    const n = (name: string) => (copy ? `${name}-${copy}` : name);
    const physical = {
        topic: n(PHYSICAL.topic),
        queue: n(PHYSICAL.queue),
        dlq: n(PHYSICAL.dlq),
        worker: n(PHYSICAL.worker),
    };
    const topic = topicArn(physical.topic);
    const queue = queueArn(physical.queue);
    const dlq = queueArn(physical.dlq);
    const worker = functionArn(physical.worker);
    return [
        {
            type: "aws:sns/topic:Topic",
            name: n("orders-topic"),
            props: { name: physical.topic, kmsMasterKeyId: "alias/orders-events", arn: computed(topic), id: computed(topic) },
        },
        {
            type: "aws:sns/topicPolicy:TopicPolicy",
            name: n("orders-topic-policy"),
            props: { arn: computed(topic), policy: built(() => policyJson(tlsDenyStatement("sns", topic))) },
            propertyDependencies: { arn: [n("orders-topic")], policy: [n("orders-topic")] },
        },
        {
            type: "aws:sqs/queue:Queue",
            name: n("orders-dlq"),
            props: {
                name: physical.dlq,
                sqsManagedSseEnabled: true,
                messageRetentionSeconds: 1209600,
                arn: computed(dlq),
                url: computed(queueUrl(physical.dlq)),
                id: computed(queueUrl(physical.dlq)),
            },
        },
        {
            type: "aws:sqs/queue:Queue",
            name: n("orders-queue"),
            props: {
                name: physical.queue,
                sqsManagedSseEnabled: true,
                visibilityTimeoutSeconds: 180,
                redrivePolicy: built(() => JSON.stringify({ deadLetterTargetArn: dlq, maxReceiveCount: 5 })),
                arn: computed(queue),
                url: computed(queueUrl(physical.queue)),
                id: computed(queueUrl(physical.queue)),
            },
            propertyDependencies: { redrivePolicy: [n("orders-dlq")] },
        },
        {
            type: "aws:sqs/queuePolicy:QueuePolicy",
            name: n("orders-queue-policy"),
            props: {
                queueUrl: computed(queueUrl(physical.queue)),
                policy: built(() => policyJson(tlsDenyStatement("sqs", queue), snsSendStatement(queue, topic))),
            },
            propertyDependencies: { queueUrl: [n("orders-queue")], policy: [n("orders-queue"), n("orders-topic")] },
        },
        {
            type: "aws:sqs/queuePolicy:QueuePolicy",
            name: n("orders-dlq-policy"),
            props: { queueUrl: computed(queueUrl(physical.dlq)), policy: built(() => policyJson(tlsDenyStatement("sqs", dlq))) },
            propertyDependencies: { queueUrl: [n("orders-dlq")], policy: [n("orders-dlq")] },
        },
        {
            type: "aws:sns/topicSubscription:TopicSubscription",
            name: n("orders-subscription"),
            props: { topic: computed(topic), protocol: "sqs", endpoint: computed(queue), rawMessageDelivery: true },
            propertyDependencies: { topic: [n("orders-topic")], endpoint: [n("orders-queue")] },
        },
        {
            type: "aws:lambda/function:Function",
            name: n("orders-worker"),
            props: { name: physical.worker, runtime: "nodejs22.x", timeout: 30, handler: "index.handler", arn: computed(worker), id: computed(physical.worker) },
        },
        {
            type: "aws:lambda/eventSourceMapping:EventSourceMapping",
            name: n("orders-worker-mapping"),
            props: {
                eventSourceArn: computed(queue),
                functionName: computed(worker),
                batchSize: 10,
                functionResponseTypes: ["ReportBatchItemFailures"],
            },
            propertyDependencies: { eventSourceArn: [n("orders-queue")], functionName: [n("orders-worker")] },
        },
        alarm(n("orders-queue-age-alarm"), "AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: built(() => physical.queue) }, n("orders-queue")),
        alarm(n("orders-dlq-alarm"), "AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: built(() => physical.dlq) }, n("orders-dlq")),
        alarm(n("orders-worker-errors-alarm"), "AWS/Lambda", "Errors", { FunctionName: built(() => physical.worker) }, n("orders-worker")),
    ];
}

function alarm(name: string, namespace: string, metricName: string, dimensions: Record<string, string>, watched: string): FixtureResource {
    return {
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        name,
        props: {
            namespace,
            metricName,
            dimensions,
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            alarmActions: [topicArn("ops-alerts")],
        },
        propertyDependencies: { dimensions: [watched] },
    };
}

/** Names of the resources violations are reported against. */
export function flagged(violations: { urn?: string }[]): string[] {
    return violations.map((violation) => violation.urn?.split("::").pop() ?? "<stack>");
}

/** The fixtures plus `extra`. */
export function add(fixtures: FixtureResource[], ...extra: FixtureResource[]): FixtureResource[] {
    return [...fixtures, ...extra];
}

/** The fixtures with `name`'s props changed: each key of `changes` set, or deleted when its value is `undefined`. */
export function change(fixtures: FixtureResource[], name: string, changes: Record<string, unknown>): FixtureResource[] {
    found(fixtures, name);
    return fixtures.map((fixture) => {
        if (fixture.name !== name) {
            return fixture;
        }
        const props = { ...fixture.props };
        for (const [key, value] of Object.entries(changes)) {
            if (value === undefined) {
                delete props[key];
            } else {
                props[key] = value;
            }
        }
        return { ...fixture, props };
    });
}

/** The fixtures without `name`, and without any dependency on it. */
export function remove(fixtures: FixtureResource[], name: string): FixtureResource[] {
    found(fixtures, name);
    return fixtures
        .filter((fixture) => fixture.name !== name)
        .map((fixture) => ({
            ...fixture,
            propertyDependencies: Object.fromEntries(
                Object.entries(fixture.propertyDependencies ?? {}).map(([property, names]) => [property, names.filter((n) => n !== name)]),
            ),
        }));
}

/** The fixtures without any resource of `type`, and without dependencies on them. */
export function removeType(fixtures: FixtureResource[], type: string): FixtureResource[] {
    return fixtures.filter((fixture) => fixture.type === type).reduce((rest, fixture) => remove(rest, fixture.name), fixtures);
}

/** The fixtures with `name`'s property dependencies replaced. */
export function dependencies(fixtures: FixtureResource[], name: string, propertyDependencies: Record<string, string[]>): FixtureResource[] {
    found(fixtures, name);
    return fixtures.map((fixture) => (fixture.name === name ? { ...fixture, propertyDependencies } : fixture));
}

export function byName(fixtures: FixtureResource[], name: string): FixtureResource {
    return found(fixtures, name);
}

function found(fixtures: FixtureResource[], name: string): FixtureResource {
    const fixture = fixtures.find((candidate) => candidate.name === name);
    if (!fixture) {
        throw new Error(`no fixture named ${name}`);
    }
    return fixture;
}

/** Values of the wrong shape for any property: a policy must read every one without throwing. */
export const MALFORMED_VALUES: readonly unknown[] = [
    "{not json",
    "",
    "null",
    "[1,2]",
    42,
    -1,
    true,
    null,
    [],
    {},
    [null, 7, "x", UNKNOWN],
    { unexpected: { nested: [1, null] } },
];

/** Fails when the harness reports that the policy let an unknown value escape ("can't run … during preview"). */
export function assertRan(violations: { message: string }[]): void {
    const escaped = violations.filter((violation) => violation.message.includes("can't run policy"));
    if (escaped.length > 0) {
        throw new Error(`policy could not run: ${escaped.map((violation) => violation.message).join("; ")}`);
    }
}
