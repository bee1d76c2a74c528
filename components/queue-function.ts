import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IDEMPOTENCY_TABLE_ACTIONS } from "./idempotency-table";
import { alarmOnMetric } from "./metric-alarm";
import { policyDocument, PolicyStatement } from "./policy-documents";

/** The Lambda runtime: `nodejs20.x` and older are deprecated; `nodejs22.x` is supported until 2027-04-30. */
export const LAMBDA_RUNTIME = "nodejs22.x";

/** AWS's guidance: a queue's visibility timeout of at least 6 × the timeout of the function reading it. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface QueueFunctionArgs {
    /** The queue it consumes. */
    queueArn: pulumi.Input<string>;
    /**
     * The deployment package: a directory archive whose `index.js` exports the handler (the program
     * deploys the bundle of `consumers/lambda`).
     */
    code: pulumi.asset.Archive;
    /** The handler in the package, such as `index.handler`. */
    handler: string;
    /** 1–900; the queue's visibility timeout should be `QueueFunction.visibilityTimeoutFor(timeoutSeconds)`. */
    timeoutSeconds: number;
    /** 128–10240. */
    memoryMb: number;
    /** Records per invocation, 1–10000; above 10 needs a `batchingWindowSeconds` of at least 1. */
    batchSize: number;
    /** How long the event source mapping gathers a batch, 0–300. */
    batchingWindowSeconds: number;
    /** The event source mapping's maximum concurrency, 2–1000. */
    maxConcurrency: number;
    /** Retention of its log group. */
    logRetentionDays: number;
    /** Its environment variables (never secrets: the `no-plaintext-secrets` policy fails them). */
    environment: Record<string, pulumi.Input<string>>;
    /** The idempotency table it records processed events in, if any: it gets the item actions Powertools uses on it. */
    idempotencyTableArn?: pulumi.Input<string>;
    /** Where its alarms notify. */
    alarmTopicArn: pulumi.Input<string>;
}

/**
 * A Lambda consumer of one queue: its own log group with retention, a role allowed only what it
 * needs on its own queue, log group and idempotency table, an event source mapping that reports
 * partial batch failures (so only failed records retry until the dead-letter queue), and alarms on
 * errors and throttles.
 */
export class QueueFunction extends pulumi.ComponentResource {
    /** The `FunctionName` dimension of Lambda metrics. */
    public readonly functionName: pulumi.Output<string>;
    /** The function's ARN. */
    public readonly functionArn: pulumi.Output<string>;
    /** Where its JSON logs go. */
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: QueueFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:compute:QueueFunction", name, {}, opts);
        QueueFunction.validate(name, args);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays }, { parent: this });
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            { parent: this },
        );
        const statements: PolicyStatement[] = [
            {
                Sid: "ConsumeOwnQueue",
                Effect: "Allow",
                Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
                Resource: args.queueArn,
            },
            {
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`${logGroup.arn}:*`,
            },
        ];
        if (args.idempotencyTableArn !== undefined) {
            statements.push({ Sid: "RecordProcessedEvents", Effect: "Allow", Action: IDEMPOTENCY_TABLE_ACTIONS, Resource: args.idempotencyTableArn });
        }
        const rolePolicy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: policyDocument(statements) }, { parent: this });

        const fn = new aws.lambda.Function(
            name,
            {
                runtime: LAMBDA_RUNTIME,
                architectures: ["arm64"],
                handler: args.handler,
                code: args.code,
                role: role.arn,
                timeout: args.timeoutSeconds,
                memorySize: args.memoryMb,
                environment: { variables: args.environment },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            },
            // The role's policy must exist before the function first polls its queue.
            { parent: this, dependsOn: [rolePolicy] },
        );
        new aws.lambda.EventSourceMapping(
            `${name}-mapping`,
            {
                eventSourceArn: args.queueArn,
                functionName: fn.arn,
                batchSize: args.batchSize,
                maximumBatchingWindowInSeconds: args.batchingWindowSeconds,
                functionResponseTypes: ["ReportBatchItemFailures"],
                scalingConfig: { maximumConcurrency: args.maxConcurrency },
            },
            { parent: this },
        );

        alarmOnMetric(
            `${name}-errors`,
            {
                description: `The ${name} function failed invocations: its records retry and may reach the dead-letter queue.`,
                namespace: "AWS/Lambda",
                metricName: "Errors",
                dimensions: { FunctionName: fn.name },
                statistic: "Sum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                alarmTopicArn: args.alarmTopicArn,
            },
            this,
        );
        alarmOnMetric(
            `${name}-throttles`,
            {
                description: `The ${name} function is throttled: raise its maximum concurrency or the account's limit.`,
                namespace: "AWS/Lambda",
                metricName: "Throttles",
                dimensions: { FunctionName: fn.name },
                statistic: "Sum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                alarmTopicArn: args.alarmTopicArn,
            },
            this,
        );

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn, logGroupName: this.logGroupName });
    }

    /** The visibility timeout a queue read by a function with this timeout needs. */
    public static visibilityTimeoutFor(timeoutSeconds: number): number {
        return VISIBILITY_TIMEOUT_FACTOR * timeoutSeconds;
    }

    /** Rejects what Lambda would reject, naming the argument, before anything is registered. */
    public static validate(name: string, args: QueueFunctionArgs): void {
        const problems: string[] = [];
        const check = (label: string, value: number, min: number, max: number) => {
            if (!Number.isInteger(value) || value < min || value > max) {
                problems.push(`${label} must be a whole number from ${min} to ${max} (got ${value})`);
            }
        };
        check("timeoutSeconds", args.timeoutSeconds, 1, 900);
        check("memoryMb", args.memoryMb, 128, 10240);
        check("batchSize", args.batchSize, 1, 10000);
        check("batchingWindowSeconds", args.batchingWindowSeconds, 0, 300);
        check("maxConcurrency", args.maxConcurrency, 2, 1000);
        if (args.batchSize > 10 && args.batchingWindowSeconds < 1) {
            problems.push(`batchingWindowSeconds must be at least 1 when batchSize is above 10 (got batchSize ${args.batchSize})`);
        }
        if (problems.length > 0) {
            throw new pulumi.RunError(`QueueFunction ${name}: ${problems.join("; ")}`);
        }
    }
}
