import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentProblem, rejectArguments, wholeNumberFromTo, wholeNumberProblem } from "./argument-problems";
import { alarmOnMetric } from "./metric-alarm";
import { denyInsecureTransport, policyDocument, PolicyStatement } from "./policy-documents";

/** Four days: SQS's default. */
export const QUEUE_RETENTION_SECONDS = 345_600;
/** Fourteen days, SQS's maximum: a dead-letter queue keeps a message longer than its source queue did. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;
/** Twelve hours, SQS's longest visibility timeout. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
/** The most receives SQS allows in a redrive policy's `maxReceiveCount`. */
export const MAX_RECEIVE_COUNT = 1000;

/** What an SNS filter policy matches: the message body (JSON) or the message attributes. */
export const FILTER_POLICY_SCOPES = ["MessageBody", "MessageAttributes"] as const;
export type FilterPolicyScope = (typeof FILTER_POLICY_SCOPES)[number];

/** The age alarm's period: SQS reports the age of the oldest message once a minute. */
const AGE_ALARM_PERIOD_SECONDS = 60;
/** Periods in a row the age must be above the threshold before the alarm fires. */
const AGE_ALARM_PERIODS = 2;
/** The lowest age threshold: one period, the finest age the alarm sees. */
export const MIN_MESSAGE_AGE_SECONDS = AGE_ALARM_PERIOD_SECONDS;
/**
 * The highest age threshold that can still fire: SQS deletes a message when it reaches the queue's
 * retention, so the oldest message must pass the threshold the alarm's whole window before that.
 */
export const MAX_MESSAGE_AGE_SECONDS = QUEUE_RETENTION_SECONDS - AGE_ALARM_PERIODS * AGE_ALARM_PERIOD_SECONDS;

export interface ConsumerQueueArgs {
    /** The event topic this queue subscribes to. */
    topicArn: pulumi.Input<string>;
    /**
     * SNS filter policy: only matching events reach this consumer; without one, every event does. At
     * least one attribute, each mapped to a list of values or a nested object; in the MessageBody
     * scope, every key outside `data` a CloudEvents attribute name (lower-case letters and digits).
     */
    filterPolicy?: Record<string, unknown>;
    /** What the filter policy matches: the event's JSON body or the message attributes (only with a `filterPolicy`). */
    filterPolicyScope: FilterPolicyScope;
    /** Receives before a message moves to the dead-letter queue: 1–1000. */
    maxReceiveCount: number;
    /**
     * Age of the oldest message above which the queue alarms, in seconds: 60–345480
     * (`MAX_MESSAGE_AGE_SECONDS`, so that a message lives long enough to set it off).
     */
    maxMessageAgeSeconds: number;
    /**
     * How long a received message stays invisible, 0–43200: for a Lambda consumer
     * `QueueFunction.visibilityTimeoutFor(timeout)`, at least 6 × the function's timeout.
     */
    visibilityTimeoutSeconds: number;
    /** Where both alarms notify. */
    alarmTopicArn: pulumi.Input<string>;
    /** Protect both queues from deletion (persistent stacks only). */
    protect: boolean;
}

/** The arguments the stack config sets for each consumer: those `queueSettingsProblems` reads. */
export const QUEUE_SETTINGS = ["filterPolicy", "maxReceiveCount", "maxMessageAgeSeconds"] as const;
export type QueueSettings = Pick<ConsumerQueueArgs, (typeof QUEUE_SETTINGS)[number]>;

/**
 * What SNS, SQS and the age alarm would refuse or never act on in a consumer's queue settings, as
 * pairs of argument and what is wrong with it. The one statement of these rules: `validate` reports
 * them for the component's arguments, the stack config's loader for each consumer's keys of the same
 * names.
 */
export function queueSettingsProblems(settings: QueueSettings): ArgumentProblem<QueueSettings>[] {
    const problems: ArgumentProblem<QueueSettings>[] = [];
    const filterPolicy = settings.filterPolicy === undefined ? undefined : filterPolicyProblem(settings.filterPolicy);
    if (filterPolicy !== undefined) {
        problems.push(["filterPolicy", filterPolicy]);
    }
    const maxReceiveCount = wholeNumberProblem(settings.maxReceiveCount, 1, MAX_RECEIVE_COUNT);
    if (maxReceiveCount !== undefined) {
        problems.push(["maxReceiveCount", maxReceiveCount]);
    }
    if (wholeNumberProblem(settings.maxMessageAgeSeconds, MIN_MESSAGE_AGE_SECONDS, MAX_MESSAGE_AGE_SECONDS) !== undefined) {
        problems.push([
            "maxMessageAgeSeconds",
            `${wholeNumberFromTo(MIN_MESSAGE_AGE_SECONDS, MAX_MESSAGE_AGE_SECONDS)}: the age alarm looks once a minute and fires after ` +
                `${AGE_ALARM_PERIODS} minutes above it, and the queue deletes a message at ${QUEUE_RETENTION_SECONDS} s (${QUEUE_RETENTION_SECONDS / 86_400} days)`,
        ]);
    }
    return problems;
}

function filterPolicyProblem(policy: Record<string, unknown>): string | undefined {
    const attributes = Object.entries(policy);
    if (attributes.length === 0) {
        return "must name at least one attribute (or leave filterPolicy out)";
    }
    if (attributes.some(([attribute]) => attribute === "")) {
        return "must not have an attribute with an empty name";
    }
    if (!attributes.every(([, values]) => Array.isArray(values) || (values !== null && typeof values === "object"))) {
        return 'each attribute must map to a list of values or a nested object, such as { type: ["order.created"] }';
    }
    return undefined;
}

/** The arguments `filterKeyProblems` reads: the stack config sets both for each consumer. */
export const FILTER_SETTINGS = ["filterPolicy", "filterPolicyScope"] as const;
export type FilterSettings = Pick<ConsumerQueueArgs, (typeof FILTER_SETTINGS)[number]>;

/**
 * The context attributes of CloudEvents 1.0. Extension attributes may add others, but every
 * attribute name is lower-case letters and digits only, so a MessageBody-scope filter key outside
 * `data` made of anything else (`eventType`, `Type`, `event_source`) matches no event at all.
 */
const CLOUDEVENT_ATTRIBUTES = ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data"] as const;
const CLOUDEVENT_ATTRIBUTE_NAME = /^[a-z0-9]+$/;

/**
 * The keys of a well-formed MessageBody-scope filter policy that no event can match, each with the
 * attribute it most likely meant. A filter no event can match is a silent outage: SNS drops every
 * event for the consumer and nothing alarms. Keys inside `data` are the producer's and not checked.
 */
export function filterKeyProblems(settings: FilterSettings): ArgumentProblem<FilterSettings>[] {
    const policy = settings.filterPolicy;
    if (policy === undefined || settings.filterPolicyScope !== "MessageBody" || filterPolicyProblem(policy) !== undefined) {
        return [];
    }
    return unmatchableKeys(policy).map((path) => {
        const key = String(path[path.length - 1]);
        const consequence = path.includes("$or") ? "so this $or alternative never matches" : "so SNS would drop every event for this consumer";
        return [
            "filterPolicy",
            "matches no event: with filterPolicyScope MessageBody the filter is matched against the CloudEvent, whose attribute names are lower-case letters and digits, " +
                `${consequence}. Did you mean "${likelyCloudEventAttribute(key)}"? (Keys inside data are the producer's and are not checked.)`,
            path,
        ];
    });
}

/** The CloudEvents attribute a filter key most likely meant: the same letters, one it is part of, or the nearest spelling. */
export function likelyCloudEventAttribute(key: string): string {
    const folded = key.toLowerCase().replace(/[^a-z0-9]/g, "");
    const attributes: readonly string[] = CLOUDEVENT_ATTRIBUTES;
    const nearest = [...attributes].sort((a, b) => editDistance(folded, a) - editDistance(folded, b));
    return attributes.find((a) => a === folded) ?? attributes.find((a) => a.includes(folded)) ?? nearest[0];
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i += 1) {
        const current = [i];
        for (let j = 1; j <= b.length; j += 1) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

/** Paths (under the filter policy) of keys outside `data` that no CloudEvent attribute can match; `$or` groups are searched too. */
function unmatchableKeys(policy: Record<string, unknown>, path: (string | number)[] = []): (string | number)[][] {
    return Object.entries(policy).flatMap(([key, rule]) => {
        if (key === "$or" && Array.isArray(rule)) {
            // A group that is not an object has no keys to check (SNS itself refuses such a policy).
            return rule.flatMap((group, index) => (group instanceof Object ? unmatchableKeys(group as Record<string, unknown>, [...path, key, index]) : []));
        }
        return CLOUDEVENT_ATTRIBUTE_NAME.test(key) ? [] : [[...path, key]];
    });
}

/**
 * One consumer's queue and dead-letter queue, subscribed to the event topic: SQS-managed
 * encryption (SNS cannot deliver to a queue encrypted with the AWS-managed `aws/sqs` key), queue
 * policies that deny non-TLS access and let only the event topic send, raw message delivery, a
 * subscription redrive policy to the same dead-letter queue, and an alarm on each queue.
 */
export class ConsumerQueue extends pulumi.ComponentResource {
    /** For the consumer's event source mapping and IAM policy. */
    public readonly queueArn: pulumi.Output<string>;
    /** For the worker's `QUEUE_URL` and the stack outputs. */
    public readonly queueUrl: pulumi.Output<string>;
    /** The `QueueName` dimension of SQS metrics. */
    public readonly queueName: pulumi.Output<string>;
    /** The dead-letter queue's ARN. */
    public readonly deadLetterQueueArn: pulumi.Output<string>;
    /** Where failed messages wait for inspection and redrive. */
    public readonly deadLetterQueueUrl: pulumi.Output<string>;
    /** The dead-letter queue's `QueueName` dimension. */
    public readonly deadLetterQueueName: pulumi.Output<string>;

    constructor(name: string, args: ConsumerQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:messaging:ConsumerQueue", name, {}, opts);
        ConsumerQueue.validate(name, args);

        const deadLetterQueue = new aws.sqs.Queue(
            `${name}-dlq`,
            { sqsManagedSseEnabled: true, messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS },
            { parent: this, protect: args.protect },
        );
        const queue = new aws.sqs.Queue(
            name,
            {
                sqsManagedSseEnabled: true,
                messageRetentionSeconds: QUEUE_RETENTION_SECONDS,
                visibilityTimeoutSeconds: args.visibilityTimeoutSeconds,
                // Long polling: fewer empty receives, lower cost.
                receiveWaitTimeSeconds: 20,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: args.maxReceiveCount }),
            },
            { parent: this, protect: args.protect },
        );
        // Both queues receive from the topic: the queue by subscription, the dead-letter queue by
        // the subscription's redrive policy when SNS cannot deliver.
        for (const [suffix, target] of [["policy", queue], ["dlq-policy", deadLetterQueue]] as const) {
            new aws.sqs.QueuePolicy(
                `${name}-${suffix}`,
                { queueUrl: target.url, policy: policyDocument(ConsumerQueue.queuePolicyStatements(target.arn, args.topicArn)) },
                { parent: this },
            );
        }
        new aws.sns.TopicSubscription(
            `${name}-subscription`,
            {
                topic: args.topicArn,
                protocol: "sqs",
                endpoint: queue.arn,
                rawMessageDelivery: true,
                filterPolicy: args.filterPolicy ? JSON.stringify(args.filterPolicy) : undefined,
                filterPolicyScope: args.filterPolicy ? args.filterPolicyScope : undefined,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetterQueue.arn }),
            },
            { parent: this },
        );

        alarmOnMetric(
            `${name}-age`,
            {
                description: `Oldest message in the ${name} queue is older than ${args.maxMessageAgeSeconds} s: the consumer is down or too slow.`,
                namespace: "AWS/SQS",
                metricName: "ApproximateAgeOfOldestMessage",
                dimensions: { QueueName: queue.name },
                statistic: "Maximum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: args.maxMessageAgeSeconds,
                periodSeconds: AGE_ALARM_PERIOD_SECONDS,
                evaluationPeriods: AGE_ALARM_PERIODS,
                alarmTopicArn: args.alarmTopicArn,
            },
            this,
        );
        alarmOnMetric(
            `${name}-dlq-visible`,
            {
                description: `Messages in the ${name} dead-letter queue: events failed ${args.maxReceiveCount} times or could not be delivered. Inspect and redrive them.`,
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: deadLetterQueue.name },
                statistic: "Maximum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                alarmTopicArn: args.alarmTopicArn,
            },
            this,
        );

        this.queueArn = queue.arn;
        this.queueUrl = queue.url;
        this.queueName = queue.name;
        this.deadLetterQueueArn = deadLetterQueue.arn;
        this.deadLetterQueueUrl = deadLetterQueue.url;
        this.deadLetterQueueName = deadLetterQueue.name;
        this.registerOutputs({
            queueArn: this.queueArn,
            queueUrl: this.queueUrl,
            deadLetterQueueArn: this.deadLetterQueueArn,
            deadLetterQueueUrl: this.deadLetterQueueUrl,
        });
    }

    /** Rejects arguments SNS or SQS would reject, naming each argument and its value, before anything is registered. */
    public static validate(name: string, args: ConsumerQueueArgs): void {
        const problems: ArgumentProblem<ConsumerQueueArgs>[] = [...queueSettingsProblems(args), ...filterKeyProblems(args)];
        const visibilityTimeout = wholeNumberProblem(args.visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
        if (visibilityTimeout !== undefined) {
            problems.push(["visibilityTimeoutSeconds", visibilityTimeout]);
        }
        rejectArguments("ConsumerQueue", name, args, problems);
    }

    /** Deny non-TLS access; let only the event topic send (without this, SNS drops every message silently). */
    public static queuePolicyStatements(queueArn: pulumi.Input<string>, topicArn: pulumi.Input<string>): PolicyStatement[] {
        return [
            denyInsecureTransport("sqs:*", queueArn),
            {
                Sid: "EventTopicSends",
                Effect: "Allow",
                Principal: { Service: "sns.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: queueArn,
                Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
            },
        ];
    }
}
