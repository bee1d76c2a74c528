import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmOnMetric } from "./metric-alarm";
import { denyInsecureTransport, policyDocument, PolicyStatement } from "./policy-documents";

/** Four days: SQS's default. */
export const QUEUE_RETENTION_SECONDS = 345_600;
/** Fourteen days, SQS's maximum: a dead-letter queue keeps a message longer than its source queue did. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

export interface ConsumerQueueArgs {
    /** The event topic this queue subscribes to. */
    topicArn: pulumi.Input<string>;
    /** SNS filter policy: only matching events reach this consumer; without one, every event does. */
    filterPolicy?: Record<string, unknown>;
    /** What the filter policy matches: the event's JSON body or the message attributes (only with a `filterPolicy`). */
    filterPolicyScope: "MessageBody" | "MessageAttributes";
    /** Receives before a message moves to the dead-letter queue: 1–1000. */
    maxReceiveCount: number;
    /** Age of the oldest message above which the queue alarms: above 0. */
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
                evaluationPeriods: 2,
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

    /** Rejects arguments SQS would reject, before anything is registered. */
    public static validate(name: string, args: ConsumerQueueArgs): void {
        const problems: string[] = [];
        if (!Number.isInteger(args.maxReceiveCount) || args.maxReceiveCount < 1 || args.maxReceiveCount > 1000) {
            problems.push(`maxReceiveCount must be a whole number from 1 to 1000 (got ${args.maxReceiveCount})`);
        }
        if (!Number.isInteger(args.visibilityTimeoutSeconds) || args.visibilityTimeoutSeconds < 0 || args.visibilityTimeoutSeconds > 43_200) {
            problems.push(`visibilityTimeoutSeconds must be a whole number from 0 to 43200 (got ${args.visibilityTimeoutSeconds})`);
        }
        if (!(args.maxMessageAgeSeconds > 0)) {
            problems.push(`maxMessageAgeSeconds must be above 0 (got ${args.maxMessageAgeSeconds})`);
        }
        if (problems.length > 0) {
            throw new pulumi.RunError(`ConsumerQueue ${name}: ${problems.join("; ")}`);
        }
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
