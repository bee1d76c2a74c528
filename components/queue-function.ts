import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentProblem, rejectArguments, wholeNumberProblem } from "./argument-problems";
import { IDEMPOTENCY_TABLE_ACTIONS } from "./idempotency-table";
import { logRetentionProblems } from "./log-retention";
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
    /** Retention of its log group, in days: a value CloudWatch Logs accepts (`LOG_RETENTION_DAYS`). */
    logRetentionDays: number;
    /** Its environment variables (never secrets: the `no-plaintext-secrets` policy fails them). */
    environment: Record<string, pulumi.Input<string>>;
    /** The idempotency table it records processed events in, if any: it gets the item actions Powertools uses on it. */
    idempotencyTableArn?: pulumi.Input<string>;
    /** Where its alarms notify. */
    alarmTopicArn: pulumi.Input<string>;
}

/** What Lambda accepts, as whole numbers from min to max: the function's timeout and memory, its SQS event source mapping's batch, window and concurrency. */
const FUNCTION_SETTING_RANGES = {
    timeoutSeconds: [1, 900],
    memoryMb: [128, 10240],
    batchSize: [1, 10000],
    batchingWindowSeconds: [0, 300],
    maxConcurrency: [2, 1000],
} as const;

/** The arguments that size the function and tune how it reads its queue. */
export type FunctionSettings = Pick<QueueFunctionArgs, keyof typeof FUNCTION_SETTING_RANGES>;

/** The arguments `functionSettingsProblems` reads. */
export const FUNCTION_SETTINGS = Object.keys(FUNCTION_SETTING_RANGES) as (keyof FunctionSettings)[];

/**
 * What Lambda and its SQS event source mapping would refuse in the function's settings, as pairs of
 * argument and what is wrong with it. The one statement of these rules: `validate` reports them for
 * the component's arguments, the stack config's loader for its `lambda.*` keys of the same names.
 */
export function functionSettingsProblems(settings: FunctionSettings): ArgumentProblem<FunctionSettings>[] {
    const problems: ArgumentProblem<FunctionSettings>[] = [];
    for (const argument of FUNCTION_SETTINGS) {
        const [min, max] = FUNCTION_SETTING_RANGES[argument];
        const problem = wholeNumberProblem(settings[argument], min, max);
        if (problem !== undefined) {
            problems.push([argument, problem]);
        }
    }
    // A window within its range and below 1 is 0: no window at all.
    if (settings.batchSize > 10 && settings.batchingWindowSeconds === 0) {
        problems.push([
            "batchingWindowSeconds",
            `must be at least 1 when batchSize is above 10 (batchSize is ${settings.batchSize}): SQS rejects larger batches without a batching window`,
        ]);
    }
    return problems;
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

    /** Rejects what Lambda or CloudWatch Logs would reject, naming each argument and its value, before anything is registered. */
    public static validate(name: string, args: QueueFunctionArgs): void {
        rejectArguments("QueueFunction", name, args, [...functionSettingsProblems(args), ...logRetentionProblems(args)]);
    }
}
