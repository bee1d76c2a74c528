import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The attribute names Powertools' `DynamoDBPersistenceLayer` uses by default (`keyAttr`,
 * `expiryAttr`); the consumer code relies on those defaults, so the table must match them.
 */
export const IDEMPOTENCY_KEY_ATTRIBUTE = "id";
export const IDEMPOTENCY_EXPIRY_ATTRIBUTE = "expiration";

/** The DynamoDB actions Powertools' persistence layer uses, and no others: what a consumer may do on the table. */
export const IDEMPOTENCY_TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];

export interface IdempotencyTableArgs {
    /** A persistent stack (prod): the table gets deletion protection. Others stay destroyable. */
    protect: boolean;
    /** Where the throttling alarm notifies, when it fires and when it recovers. */
    alarmTopicArn: pulumi.Input<string>;
    /** Extra tags on the table and the alarm (the provider's default tags apply anyway). */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The DynamoDB table where every consumer (Lambda and worker) records the events it has
 * processed, keyed by consumer name and event id, so that SQS's at-least-once delivery never runs
 * an event twice. On-demand billing (traffic follows the queues, idle costs nothing), records
 * expire through TTL, encrypted at rest, and an alarm when DynamoDB throttles it: a throttled
 * idempotency check fails the message, which is retried and can end up in a dead-letter queue.
 */
export class IdempotencyTable extends pulumi.ComponentResource {
    /** For the consumers' `IDEMPOTENCY_TABLE_NAME`. */
    public readonly tableName: pulumi.Output<string>;
    /** For the consumers' IAM policies. */
    public readonly tableArn: pulumi.Output<string>;
    /** The alarm on throttled reads and writes. */
    public readonly throttleAlarmArn: pulumi.Output<string>;
    /** The table resource itself. */
    public readonly table: aws.dynamodb.Table;

    constructor(name: string, args: IdempotencyTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:storage:IdempotencyTable", name, {}, opts);

        // No physical name: auto-naming lets two stacks (or a replacement) coexist.
        this.table = new aws.dynamodb.Table(
            name,
            {
                billingMode: "PAY_PER_REQUEST",
                hashKey: IDEMPOTENCY_KEY_ATTRIBUTE,
                attributes: [{ name: IDEMPOTENCY_KEY_ATTRIBUTE, type: "S" }],
                // Powertools writes the expiry as epoch seconds, the unit DynamoDB's TTL expects.
                ttl: { attributeName: IDEMPOTENCY_EXPIRY_ATTRIBUTE, enabled: true },
                // KMS (the AWS-managed key) instead of the default AWS-owned key: key use shows in CloudTrail.
                serverSideEncryption: { enabled: true },
                deletionProtectionEnabled: args.protect,
                // No point-in-time recovery: records live a day and are rebuilt by processing; a
                // restore would only bring back stale claims.
                tags: args.tags,
            },
            { parent: this },
        );

        const throttleMetric = (id: string, metricName: string) => ({
            id,
            returnData: false,
            metric: {
                namespace: "AWS/DynamoDB",
                metricName,
                // ThrottledRequests is published per TableName *and* Operation; the read and write
                // throttle events are published per table, which is what one alarm needs.
                dimensions: { TableName: this.table.name },
                period: 60,
                stat: "Sum",
            },
        });
        const alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-throttles`,
            {
                alarmDescription:
                    "The idempotency table is throttling requests: consumers fail those messages, which are retried and may reach a dead-letter queue",
                metricQueries: [
                    throttleMetric("reads", "ReadThrottleEvents"),
                    throttleMetric("writes", "WriteThrottleEvents"),
                    { id: "throttles", expression: "FILL(reads, 0) + FILL(writes, 0)", label: "Throttle events", returnData: true },
                ],
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                evaluationPeriods: 1,
                // No traffic, no throttling: an idle table is healthy, not INSUFFICIENT_DATA.
                treatMissingData: "notBreaching",
                actionsEnabled: true,
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
                tags: args.tags,
            },
            { parent: this },
        );

        this.tableName = this.table.name;
        this.tableArn = this.table.arn;
        this.throttleAlarmArn = alarm.arn;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, throttleAlarmArn: this.throttleAlarmArn });
    }
}
