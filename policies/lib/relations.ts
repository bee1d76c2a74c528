/**
 * How the resources of an event pipeline refer to one another — redrive policies to dead-letter
 * queues, alarms to the queue or function they watch, resource policies to their queue or topic,
 * event source mappings to their queue and function — computed once per stack policy call in one
 * pass over the resources of the types involved, on top of `StackIndex`.
 *
 * Types are matched by their token strings: `@pulumi/aws` is never loaded by the pack (it takes
 * seconds to load, and the pack must start in about a second).
 */
import { parsePolicyDocument, PolicyDocument, PolicyStatement } from "./policy-document";
import { IndexedResource, Reference, StackIndex } from "./stack";
import { asArray, isRecord, isUnknown, knownString, parseJsonValue, PlainRecord } from "./values";

export const AwsType = {
    Queue: "aws:sqs/queue:Queue",
    QueuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    RedrivePolicy: "aws:sqs/redrivePolicy:RedrivePolicy",
    Topic: "aws:sns/topic:Topic",
    TopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    TopicSubscription: "aws:sns/topicSubscription:TopicSubscription",
    MetricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    LambdaFunction: "aws:lambda/function:Function",
    EventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
} as const;

// ---------------------------------------------------------------------------------------------
// Redrive: which queues have a dead-letter queue, and which queues are one.

export interface Redrives {
    /** Queues named as the dead-letter queue of some redrive policy. */
    deadLetterQueues: Set<string>;
    /** A redrive policy's target is unknown and unresolvable: any queue may be a dead-letter queue. */
    anyQueueMayBeDeadLetter: boolean;
    /** Queues whose redrive policy (own `redrivePolicy` or a `RedrivePolicy` resource) names a dead-letter queue, or is unknown. */
    queuesWithRedrive: Set<string>;
    /** A `RedrivePolicy` resource's queue is unknown and unresolvable: any queue may have it. */
    anyQueueMayHaveRedrive: boolean;
    /** Queues whose own `redrivePolicy` is present but not a JSON object naming a dead-letter queue (for the message). */
    malformedRedrive: Set<string>;
}

/** The dead-letter target named by a `redrivePolicy` value: the unknown sentinel, a value, or undefined when it names none. */
export function deadLetterTarget(redrivePolicy: unknown): { target: unknown; malformed: boolean } {
    if (isUnknown(redrivePolicy)) {
        return { target: redrivePolicy, malformed: false };
    }
    if (redrivePolicy === undefined || redrivePolicy === null || redrivePolicy === "") {
        return { target: undefined, malformed: false };
    }
    const parsed = parseJsonValue(redrivePolicy);
    if (!isRecord(parsed)) {
        return { target: undefined, malformed: true };
    }
    const key = Object.keys(parsed).find((candidate) => candidate.toLowerCase() === "deadlettertargetarn");
    const target = key === undefined ? undefined : parsed[key];
    const names = isUnknown(target) || (typeof target === "string" && target !== "");
    return { target: names ? target : undefined, malformed: !names };
}

export function redrives(index: StackIndex): Redrives {
    const result: Redrives = {
        deadLetterQueues: new Set(),
        anyQueueMayBeDeadLetter: false,
        queuesWithRedrive: new Set(),
        anyQueueMayHaveRedrive: false,
        malformedRedrive: new Set(),
    };
    const noteTarget = (from: IndexedResource, target: unknown): void => {
        const reference = index.resolve(from, "redrivePolicy", target, [AwsType.Queue]);
        if (reference.kind === "resources") {
            reference.targets.forEach((queue) => result.deadLetterQueues.add(queue.urn));
        } else if (reference.kind === "unresolved") {
            result.anyQueueMayBeDeadLetter = true;
        }
    };
    for (const queue of index.ofType(AwsType.Queue)) {
        const { target, malformed } = deadLetterTarget(queue.props.redrivePolicy);
        if (malformed) {
            result.malformedRedrive.add(queue.urn);
        }
        if (target !== undefined) {
            result.queuesWithRedrive.add(queue.urn);
            noteTarget(queue, target);
        }
    }
    for (const policy of index.ofType(AwsType.RedrivePolicy)) {
        const { target } = deadLetterTarget(policy.props.redrivePolicy);
        if (target === undefined) {
            continue;
        }
        noteTarget(policy, target);
        const source = index.resolve(policy, "queueUrl", policy.props.queueUrl, [AwsType.Queue]);
        if (source.kind === "resources") {
            source.targets.forEach((queue) => result.queuesWithRedrive.add(queue.urn));
        } else if (source.kind === "unresolved") {
            result.anyQueueMayHaveRedrive = true;
        }
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// Alarms: which metrics of which resources are watched.

/** Stands for a metric name (or namespace) not known until deploy time: it may be any. */
export const ANY_METRIC = "*";

export interface AlarmCoverage {
    /** Target URN → metric names alarmed on for it (`ANY_METRIC` when a name is unknown). */
    byTarget: Map<string, Set<string>>;
    /** Metric names of alarms whose target is unknown and unresolvable: they may watch any target. */
    anyTarget: Set<string>;
}

export interface AlarmTarget {
    /** `AWS/SQS`, `AWS/Lambda`. */
    namespace: string;
    /** The dimension naming the target: `QueueName`, `FunctionName`. */
    dimension: string;
    /** Types of the resources that dimension names. */
    types: readonly string[];
}

/** True when `coverage` has an alarm on `metricName` that is (or may be) about `urn`. */
export function isAlarmed(coverage: AlarmCoverage, urn: string, metricName: string): boolean {
    const watched = (metrics: Set<string> | undefined) => metrics !== undefined && (metrics.has(metricName) || metrics.has(ANY_METRIC));
    return watched(coverage.byTarget.get(urn)) || watched(coverage.anyTarget);
}

/**
 * The metric alarms of the stack on `target.namespace`, by the resource their `target.dimension`
 * names. Both forms of alarm count: a single metric (`namespace`, `metricName`, `dimensions`)
 * and metric math (`metricQueries[].metric`).
 */
// Stryker disable next-line ArrayDeclaration: an alternative spelling is tried only after the value named nothing, and no identifier is the mutant's placeholder
export function alarmCoverage(index: StackIndex, target: AlarmTarget, alternativesOf: (identifier: string) => string[] = () => []): AlarmCoverage {
    const coverage: AlarmCoverage = { byTarget: new Map(), anyTarget: new Set() };
    for (const alarm of index.ofType(AwsType.MetricAlarm)) {
        for (const metric of watchedMetrics(alarm.props)) {
            if (!mayEqual(metric.namespace, target.namespace)) {
                continue;
            }
            const metricName = knownString(metric.metricName) ?? (isUnknown(metric.metricName) ? ANY_METRIC : undefined);
            if (metricName === undefined) {
                continue;
            }
            const dimensionValue = isUnknown(metric.dimensions) ? metric.dimensions : isRecord(metric.dimensions) ? metric.dimensions[target.dimension] : undefined;
            const known = knownString(dimensionValue);
            // Stryker disable next-line ArrayDeclaration: an alternative spelling is tried only after the value named nothing, and no identifier is the mutant's placeholder
            const reference = index.resolve(alarm, metric.property, dimensionValue, target.types, known ? alternativesOf(known) : []);
            if (reference.kind === "resources") {
                for (const resource of reference.targets) {
                    const metrics = coverage.byTarget.get(resource.urn) ?? new Set<string>();
                    metrics.add(metricName);
                    coverage.byTarget.set(resource.urn, metrics);
                }
            } else if (reference.kind === "unresolved") {
                coverage.anyTarget.add(metricName);
            }
        }
    }
    return coverage;
}

interface WatchedMetric {
    namespace: unknown;
    metricName: unknown;
    dimensions: unknown;
    /** The alarm's top-level property the metric is read from, whose dependencies resolve unknown dimensions. */
    property: "dimensions" | "metricQueries";
}

function watchedMetrics(alarm: PlainRecord): WatchedMetric[] {
    const metrics: WatchedMetric[] = [];
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a shortcut; alarmCoverage skips a metric without a namespace or a metric name anyway
    if (alarm.metricName !== undefined || alarm.namespace !== undefined) {
        metrics.push({ namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions, property: "dimensions" });
    }
    // Stryker disable next-line ConditionalExpression: a known metricQueries as a metric has no AWS/… namespace, so alarmCoverage skips it
    if (isUnknown(alarm.metricQueries)) {
        metrics.push({ namespace: alarm.metricQueries, metricName: alarm.metricQueries, dimensions: alarm.metricQueries, property: "metricQueries" });
    }
    for (const query of asArray(alarm.metricQueries)) {
        const metric = isUnknown(query) ? query : isRecord(query) ? query.metric : undefined;
        if (isUnknown(metric)) {
            metrics.push({ namespace: metric, metricName: metric, dimensions: metric, property: "metricQueries" });
        } else if (isRecord(metric)) {
            metrics.push({ namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions, property: "metricQueries" });
        }
    }
    return metrics;
}

/** True when `value` is `expected`, or unknown (it may turn out to be). */
function mayEqual(value: unknown, expected: string): boolean {
    return isUnknown(value) || value === expected;
}

// ---------------------------------------------------------------------------------------------
// Resource policies: the documents that govern a queue or a topic.

export interface ResourcePolicyKind {
    /** The governed resource's type (`aws:sqs/queue:Queue`); its own `policy` property counts. */
    targetType: string;
    /** The separate policy resource's type (`aws:sqs/queuePolicy:QueuePolicy`). */
    attachmentType: string;
    /** The attachment's property naming the target (`queueUrl`, `arn`). */
    attachmentProperty: string;
}

export const QUEUE_POLICIES: ResourcePolicyKind = { targetType: AwsType.Queue, attachmentType: AwsType.QueuePolicy, attachmentProperty: "queueUrl" };
export const TOPIC_POLICIES: ResourcePolicyKind = { targetType: AwsType.Topic, attachmentType: AwsType.TopicPolicy, attachmentProperty: "arn" };

export interface ResourcePolicies {
    /** Target URN → its documents: its own `policy` (when present) and every attached policy resource's. */
    byTarget: Map<string, PolicyDocument[]>;
    /** Documents of policy resources whose target is unknown and unresolvable: they may govern any target. */
    anyTarget: PolicyDocument[];
}

export function resourcePolicies(index: StackIndex, kind: ResourcePolicyKind): ResourcePolicies {
    const result: ResourcePolicies = { byTarget: new Map(), anyTarget: [] };
    const add = (urn: string, document: PolicyDocument) => {
        const documents = result.byTarget.get(urn);
        if (documents) {
            documents.push(document);
        } else {
            result.byTarget.set(urn, [document]);
        }
    };
    for (const target of index.ofType(kind.targetType)) {
        const document = parsePolicyDocument(target.props.policy);
        if (document.status !== "absent") {
            add(target.urn, document);
        }
    }
    for (const attachment of index.ofType(kind.attachmentType)) {
        const document = parsePolicyDocument(attachment.props.policy);
        const reference: Reference = index.resolve(attachment, kind.attachmentProperty, attachment.props[kind.attachmentProperty], [kind.targetType]);
        if (reference.kind === "resources") {
            reference.targets.forEach((target) => add(target.urn, document));
        } else if (reference.kind === "unresolved") {
            result.anyTarget.push(document);
        }
    }
    return result;
}

/** The documents that (may) govern `urn`. */
export function documentsFor(policies: ResourcePolicies, urn: string): PolicyDocument[] {
    const own = policies.byTarget.get(urn) ?? [];
    // Stryker disable next-line ConditionalExpression: a shortcut; with no document for any target the concatenation is own as well
    return policies.anyTarget.length === 0 ? own : [...own, ...policies.anyTarget];
}

/** What the documents governing a resource say about one requirement. */
export type DocumentsVerdict =
    /** A statement of some document meets it. */
    | "satisfied"
    /** No known statement meets it, but a document is not known until deploy time: it may. */
    | "unknown"
    /** No document governs the resource. */
    | "absent"
    /** Every document present is not a policy document (not JSON, no `Statement`). */
    | "malformed"
    /** Documents are there and none meets it. */
    | "unsatisfied";

export function judgeDocuments(documents: readonly PolicyDocument[], meets: (statement: PolicyStatement) => boolean): DocumentsVerdict {
    if (documents.some((document) => document.statements.some(meets))) {
        return "satisfied";
    }
    if (documents.some((document) => document.status === "unknown")) {
        return "unknown";
    }
    if (documents.length === 0) {
        return "absent";
    }
    return documents.every((document) => document.status === "malformed") ? "malformed" : "unsatisfied";
}

// ---------------------------------------------------------------------------------------------
// Lambda: functions are referred to by name, ARN, or a qualified ARN (`…:function:name:alias`).

const FUNCTION_ARN = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+))(?::[^:]+)?$/;

/** Further spellings of a function reference: the unqualified ARN and the bare name of a (qualified) function ARN. */
export function functionReferenceAlternatives(reference: string): string[] {
    const match = FUNCTION_ARN.exec(reference);
    return match ? [match[1], match[2]] : [];
}

/**
 * The function an event source mapping's `functionName` (name, ARN or qualified ARN) refers to;
 * failing that, its computed `functionArn` (in the outputs of a deployed mapping).
 */
export function mappingFunction(index: StackIndex, mapping: IndexedResource): Reference {
    const byName = resolveFunction(index, mapping, "functionName");
    if (
        byName.kind === "resources" ||
        // Stryker disable next-line ConditionalExpression: a shortcut; an absent functionArn resolves to no function, and then byName is returned below
        knownString(mapping.props.functionArn) === undefined
    ) {
        return byName;
    }
    const byArn = resolveFunction(index, mapping, "functionArn");
    return byArn.kind === "resources" ? byArn : byName;
}

function resolveFunction(index: StackIndex, mapping: IndexedResource, property: "functionName" | "functionArn"): Reference {
    const value = mapping.props[property];
    const known = knownString(value);
    // Stryker disable next-line ArrayDeclaration: an alternative spelling is tried only after the value named nothing, and no identifier is the mutant's placeholder
    return index.resolve(mapping, property, value, [AwsType.LambdaFunction], known ? functionReferenceAlternatives(known) : []);
}

/** The queue an event source mapping's `eventSourceArn` refers to. */
export function mappingQueue(index: StackIndex, mapping: IndexedResource): Reference {
    return index.resolve(mapping, "eventSourceArn", mapping.props.eventSourceArn, [AwsType.Queue]);
}

/** True for an SQS queue ARN (`arn:aws:sqs:…`, any partition). */
export function isSqsArn(value: string): boolean {
    return /^arn:[^:]+:sqs:/.test(value);
}
