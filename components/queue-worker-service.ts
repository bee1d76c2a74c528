import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConsumerEnv } from "../consumers/shared/settings";
import { ArgumentProblem, rejectArguments, wholeNumberProblem } from "./argument-problems";
import { IDEMPOTENCY_TABLE_ACTIONS } from "./idempotency-table";
import { logRetentionProblems } from "./log-retention";
import { alarmOnMetric } from "./metric-alarm";
import { policyDocument, PolicyStatement } from "./policy-documents";

/** Seconds ECS waits after SIGTERM before SIGKILL: the worker finishes in-flight messages within it. */
export const WORKER_STOP_TIMEOUT_SECONDS = 60;

/** Fargate's valid memory sizes (MiB) for each CPU size (units), Linux. */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

/** The most tasks either count may be: far above what one queue needs, so a typo is refused rather than paid for. */
export const MAX_TASKS = 1000;

export interface QueueWorkerServiceArgs {
    /** The queue it consumes (for its task role). */
    queueArn: pulumi.Input<string>;
    /** Passed to the container as `QUEUE_URL`. */
    queueUrl: pulumi.Input<string>;
    /** The `QueueName` dimension of the scaling alarms. */
    queueName: pulumi.Input<string>;
    /** The container image: `WorkerImage.imageUri` or a reference. */
    image: pulumi.Input<string>;
    /** Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
    cpu: number;
    /** MiB: a valid Fargate pair with `cpu` (`FARGATE_MEMORY_BY_CPU`). */
    memory: number;
    /** The task count when the queue is idle, 0–1000: step scaling on the queue depth scales out from zero tasks. */
    minTasks: number;
    /** 1–1000, and at least `minTasks`. */
    maxTasks: number;
    /** Visible messages one task is expected to work through, above 0; sets the scale-out steps. */
    backlogPerTask: number;
    /** The VPC of its security group. */
    vpcId: pulumi.Input<string>;
    /** Where tasks run (`Network.taskSubnetIds`). */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** `true` for tasks in public subnets without NAT (`Network.assignPublicIp`). */
    assignPublicIp: boolean;
    /** Retention of its log group, in days: a value CloudWatch Logs accepts (`LOG_RETENTION_DAYS`). */
    logRetentionDays: number;
    /** The container's environment; the component adds `QUEUE_URL` and `AWS_REGION`. */
    environment: Record<string, pulumi.Input<string>>;
    /** The idempotency table it records processed events in, if any. */
    idempotencyTableArn?: pulumi.Input<string>;
    /** Where its CPU and memory alarms notify. */
    alarmTopicArn: pulumi.Input<string>;
    /** For the log driver, `AWS_REGION` and the ECR pull permission. */
    region: string;
}

/** The arguments that size the service's tasks and scale their number: those `workerSizingProblems` reads. */
export const WORKER_SIZING = ["cpu", "memory", "minTasks", "maxTasks", "backlogPerTask"] as const;
export type WorkerSizing = Pick<QueueWorkerServiceArgs, (typeof WORKER_SIZING)[number]>;

/**
 * What ECS and Application Auto Scaling would refuse in a service's size and scaling, as pairs of
 * argument and what is wrong with it. The one statement of these rules: `validate` reports them
 * for the component's arguments, the stack config's loader for its `worker.*` keys of the same names.
 */
export function workerSizingProblems(sizing: WorkerSizing): ArgumentProblem<WorkerSizing>[] {
    const problems: ArgumentProblem<WorkerSizing>[] = [];
    const memories = FARGATE_MEMORY_BY_CPU[sizing.cpu];
    if (memories === undefined) {
        const sizes = Object.keys(FARGATE_MEMORY_BY_CPU);
        problems.push(["cpu", `must be a Fargate CPU size in units: ${sizes.slice(0, -1).join(", ")} or ${sizes.at(-1)}`]);
    } else if (!memories.includes(sizing.memory)) {
        problems.push(["memory", `is not a valid Fargate pair with cpu ${sizing.cpu} (allowed: ${memories.join(", ")} MiB)`]);
    }
    const minTasks = wholeNumberProblem(sizing.minTasks, 0, MAX_TASKS);
    if (minTasks !== undefined) {
        problems.push(["minTasks", minTasks]);
    }
    const maxTasks = wholeNumberProblem(sizing.maxTasks, 1, MAX_TASKS);
    if (maxTasks !== undefined) {
        problems.push(["maxTasks", maxTasks]);
    } else if (sizing.maxTasks < sizing.minTasks) {
        problems.push(["maxTasks", `must be at least minTasks (${sizing.minTasks})`]);
    }
    if (!(sizing.backlogPerTask > 0)) {
        problems.push(["backlogPerTask", "must be above 0"]);
    }
    return problems;
}

/**
 * An ECS Fargate service consuming one queue: a cluster with Container Insights, a task that is not
 * privileged and has a read-only root file system, logs to a log group with retention, an
 * egress-only security group, least-privilege roles, the deployment circuit breaker with rollback,
 * and step scaling on the queue's backlog between `minTasks` (possibly 0) and `maxTasks`.
 */
export class QueueWorkerService extends pulumi.ComponentResource {
    /** The `ClusterName` dimension of ECS metrics. */
    public readonly clusterName: pulumi.Output<string>;
    /** The `ServiceName` dimension of ECS metrics. */
    public readonly serviceName: pulumi.Output<string>;
    /** Where the container's logs go. */
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: QueueWorkerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:compute:QueueWorkerService", name, {}, opts);
        QueueWorkerService.validate(name, args);

        const cluster = new aws.ecs.Cluster(name, { settings: [{ name: "containerInsights", value: "enabled" }] }, { parent: this });
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays }, { parent: this });

        const assumeByEcsTasks = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        // The execution role is the ECS agent's: pull the image, write the container's logs.
        const executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: assumeByEcsTasks }, { parent: this });
        new aws.iam.RolePolicy(
            `${name}-execution-policy`,
            {
                role: executionRole.id,
                policy: policyDocument([
                    { Sid: "WriteContainerLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
                    // GetAuthorizationToken has no resource-level permissions: "*" is the only resource it takes.
                    { Sid: "AuthenticateToEcr", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                    {
                        Sid: "PullImage",
                        Effect: "Allow",
                        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                        Resource: pulumi.interpolate`arn:aws:ecr:${args.region}:${aws.getCallerIdentityOutput({}, { parent: this }).accountId}:repository/*`,
                    },
                ]),
            },
            { parent: this },
        );
        // The task role is the worker's own: its queue and its idempotency table, nothing else.
        const taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assumeByEcsTasks }, { parent: this });
        const taskStatements: PolicyStatement[] = [
            {
                Sid: "ConsumeOwnQueue",
                Effect: "Allow",
                // DeleteMessage and ChangeMessageVisibility also authorize their batch forms.
                Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"],
                Resource: args.queueArn,
            },
        ];
        if (args.idempotencyTableArn !== undefined) {
            taskStatements.push({ Sid: "RecordProcessedEvents", Effect: "Allow", Action: IDEMPOTENCY_TABLE_ACTIONS, Resource: args.idempotencyTableArn });
        }
        new aws.iam.RolePolicy(`${name}-task-policy`, { role: taskRole.id, policy: policyDocument(taskStatements) }, { parent: this });

        const environment = { ...args.environment, [ConsumerEnv.QUEUE_URL]: args.queueUrl, [ConsumerEnv.AWS_REGION]: args.region };
        const taskDefinition = new aws.ecs.TaskDefinition(
            name,
            {
                family: pulumi.interpolate`${cluster.name}-worker`,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(args.cpu),
                memory: String(args.memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                // A read-only root file system still needs somewhere to write temporary files.
                volumes: [{ name: "tmp" }],
                containerDefinitions: pulumi.jsonStringify([
                    {
                        name: "worker",
                        image: args.image,
                        essential: true,
                        privileged: false,
                        readonlyRootFilesystem: true,
                        stopTimeout: WORKER_STOP_TIMEOUT_SECONDS,
                        mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
                        environment: Object.entries(environment)
                            .sort(([a], [b]) => a.localeCompare(b))
                            .map(([key, value]) => ({ name: key, value })),
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: { "awslogs-group": logGroup.name, "awslogs-region": args.region, "awslogs-stream-prefix": "worker" },
                        },
                    },
                ]),
            },
            { parent: this },
        );

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-tasks`,
            {
                vpcId: args.vpcId,
                description: "Queue worker tasks: no inbound traffic; outbound to AWS APIs",
                ingress: [],
                egress: [{ description: "AWS APIs (SQS, DynamoDB, ECR, CloudWatch)", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
            },
            { parent: this },
        );

        const service = new aws.ecs.Service(
            name,
            {
                cluster: cluster.arn,
                taskDefinition: taskDefinition.arn,
                launchType: "FARGATE",
                desiredCount: args.minTasks,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                networkConfiguration: { subnets: args.subnetIds, securityGroups: [securityGroup.id], assignPublicIp: args.assignPublicIp },
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
            },
            // Scaling owns the task count after the first deployment; without this a second
            // `pulumi up` would reset it, and the run would not be idempotent.
            { parent: this, ignoreChanges: ["desiredCount"] },
        );

        const target = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
                minCapacity: args.minTasks,
                maxCapacity: args.maxTasks,
            },
            { parent: this },
        );
        const stepScaling = (suffix: string, configuration: aws.types.input.appautoscaling.PolicyStepScalingPolicyConfiguration) =>
            new aws.appautoscaling.Policy(
                `${name}-${suffix}`,
                {
                    policyType: "StepScaling",
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    stepScalingPolicyConfiguration: configuration,
                },
                { parent: this },
            );
        // Target tracking on backlog per task has no value at 0 tasks and cannot scale out from
        // zero; step scaling on the queue depth can. Steps are relative to the alarm threshold (1).
        const scaleOut = stepScaling("scale-out", {
            adjustmentType: "ChangeInCapacity",
            cooldown: 60,
            metricAggregationType: "Maximum",
            stepAdjustments: [
                { metricIntervalLowerBound: "0", metricIntervalUpperBound: String(args.backlogPerTask), scalingAdjustment: 1 },
                { metricIntervalLowerBound: String(args.backlogPerTask), metricIntervalUpperBound: String(4 * args.backlogPerTask), scalingAdjustment: 2 },
                { metricIntervalLowerBound: String(4 * args.backlogPerTask), scalingAdjustment: 4 },
            ],
        });
        const scaleIn = stepScaling("scale-in", {
            adjustmentType: "ExactCapacity",
            cooldown: 300,
            metricAggregationType: "Maximum",
            stepAdjustments: [{ metricIntervalUpperBound: "0", scalingAdjustment: args.minTasks }],
        });
        new aws.cloudwatch.MetricAlarm(
            `${name}-backlog-high`,
            {
                alarmDescription: `Messages wait in the ${name} queue: add worker tasks.`,
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: args.queueName },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                treatMissingData: "notBreaching",
                alarmActions: [scaleOut.arn],
            },
            { parent: this },
        );
        new aws.cloudwatch.MetricAlarm(
            `${name}-idle`,
            {
                alarmDescription: `The ${name} queue has been empty for 15 minutes: scale the workers in to the minimum.`,
                comparisonOperator: "LessThanOrEqualToThreshold",
                threshold: 0,
                evaluationPeriods: 15,
                treatMissingData: "breaching",
                metricQueries: [
                    { id: "visible", metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: args.queueName }, period: 60, stat: "Maximum" } },
                    { id: "inflight", metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesNotVisible", dimensions: { QueueName: args.queueName }, period: 60, stat: "Maximum" } },
                    { id: "backlog", expression: "visible + inflight", label: "Messages waiting or in flight", returnData: true },
                ],
                alarmActions: [scaleIn.arn],
            },
            { parent: this },
        );

        const serviceDimensions = { ClusterName: cluster.name, ServiceName: service.name };
        alarmOnMetric(
            `${name}-cpu`,
            {
                description: `The ${name} workers use more than 80% of their CPU: raise worker.cpu or maxTasks.`,
                namespace: "AWS/ECS",
                metricName: "CPUUtilization",
                dimensions: serviceDimensions,
                statistic: "Average",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 80,
                periodSeconds: 300,
                alarmTopicArn: args.alarmTopicArn,
            },
            this,
        );
        alarmOnMetric(
            `${name}-memory`,
            {
                description: `The ${name} workers use more than 80% of their memory: raise worker.memory.`,
                namespace: "AWS/ECS",
                metricName: "MemoryUtilization",
                dimensions: serviceDimensions,
                statistic: "Average",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 80,
                periodSeconds: 300,
                alarmTopicArn: args.alarmTopicArn,
            },
            this,
        );

        this.clusterName = cluster.name;
        this.serviceName = service.name;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ clusterName: this.clusterName, serviceName: this.serviceName, logGroupName: this.logGroupName });
    }

    /** Rejects what ECS, Application Auto Scaling or CloudWatch Logs would reject, naming each argument and its value. */
    public static validate(name: string, args: QueueWorkerServiceArgs): void {
        rejectArguments("QueueWorkerService", name, args, [...workerSizingProblems(args), ...logRetentionProblems(args)]);
    }
}

function range(from: number, to: number, step: number): number[] {
    const values: number[] = [];
    for (let v = from; v <= to; v += step) {
        values.push(v);
    }
    return values;
}
