// The program: load the stack config, build the components, export the outputs.
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmTopic } from "./components/alarm-topic";
import { ConsumerQueue } from "./components/consumer-queue";
import { EventTopic } from "./components/event-topic";
import { Network } from "./components/network";
import { DashboardQueue, PipelineDashboard } from "./components/pipeline-dashboard";
import { QueueFunction } from "./components/queue-function";
import { QueueWorkerService, WORKER_STOP_TIMEOUT_SECONDS } from "./components/queue-worker-service";
import { IdempotencyTable } from "./components/idempotency-table";
import { WorkerImage } from "./components/worker-image";
import { loadConfig } from "./config";
import { ConsumerEnv } from "./consumers/shared/settings";
import { bundleFunctionsOnce } from "./consumers/lambda/bundle";

/** Visibility timeout for worker queues: the worker's heartbeat extends it while a message is in work. */
const WORKER_VISIBILITY_TIMEOUT_SECONDS = 60;
/** The worker's own deadline after SIGTERM, inside ECS's stop timeout so it exits before SIGKILL. */
const WORKER_SHUTDOWN_SECONDS = WORKER_STOP_TIMEOUT_SECONDS - 5;

const config = loadConfig();

// Tags through the provider's defaultTags reach every taggable resource, including awsx's children.
const provider = new aws.Provider("aws", { region: config.region as aws.Region, defaultTags: { tags: config.tags } });
const withProvider: pulumi.ComponentResourceOptions = { providers: [provider] };

const alarms = new AlarmTopic("alarms", { emails: config.alarmEmails }, withProvider);
const events = new EventTopic("events", { protect: config.protect }, withProvider);
const hasWorkers = config.consumers.some((c) => c.kind === "ecs");
const network = hasWorkers ? new Network("network", config.network, withProvider) : undefined;
const workerImage: pulumi.Input<string> | undefined =
    hasWorkers && config.worker.build
        ? new WorkerImage("worker", { context: ".", dockerfile: "consumers/worker/Dockerfile", persistent: config.protect }, withProvider).imageUri
        : config.worker.image;

// The program bundles the consumer itself, so `pulumi up` deploys exactly the code in the tree.
const consumerCode = pulumi.output(bundleFunctionsOnce({ functions: ["consumer"] })).apply(
    ([bundle]) => new pulumi.asset.FileArchive(path.relative(__dirname, path.dirname(bundle.outfile))),
);
// One table for every consumer: SNS fans the same event out to all of them, so records are
// keyed by consumer name and event id.
const idempotency = new IdempotencyTable("idempotency", { protect: config.protect, alarmTopicArn: alarms.topicArn }, withProvider);

const queues: (DashboardQueue & { queueUrl: pulumi.Output<string>; deadLetterQueueUrl: pulumi.Output<string> })[] = [];
const functionEntries: { consumer: string; functionName: pulumi.Output<string> }[] = [];
const serviceEntries: { consumer: string; clusterName: pulumi.Output<string>; serviceName: pulumi.Output<string> }[] = [];

for (const consumer of config.consumers) {
    const queue = new ConsumerQueue(
        consumer.name,
        {
            topicArn: events.topicArn,
            filterPolicy: consumer.filterPolicy,
            filterPolicyScope: consumer.filterPolicyScope,
            maxReceiveCount: consumer.maxReceiveCount,
            maxMessageAgeSeconds: consumer.maxMessageAgeSeconds,
            visibilityTimeoutSeconds:
                consumer.kind === "lambda" ? QueueFunction.visibilityTimeoutFor(config.lambda.timeoutSeconds) : WORKER_VISIBILITY_TIMEOUT_SECONDS,
            alarmTopicArn: alarms.topicArn,
            protect: config.protect,
        },
        withProvider,
    );
    queues.push({ consumer: consumer.name, queueName: queue.queueName, deadLetterQueueName: queue.deadLetterQueueName, queueUrl: queue.queueUrl, deadLetterQueueUrl: queue.deadLetterQueueUrl });
    const environment = {
        [ConsumerEnv.CONSUMER_NAME]: consumer.name,
        [ConsumerEnv.IDEMPOTENCY_TABLE_NAME]: idempotency.tableName,
        [ConsumerEnv.POWERTOOLS_SERVICE_NAME]: consumer.name,
        [ConsumerEnv.POWERTOOLS_METRICS_NAMESPACE]: `event-pipeline/${config.stack}`,
        [ConsumerEnv.POWERTOOLS_LOG_LEVEL]: config.environment === "prod" ? "INFO" : "DEBUG",
    };
    if (consumer.kind === "lambda") {
        const fn = new QueueFunction(
            consumer.name,
            {
                queueArn: queue.queueArn,
                code: consumerCode,
                handler: "index.handler",
                timeoutSeconds: config.lambda.timeoutSeconds,
                memoryMb: config.lambda.memoryMb,
                batchSize: config.lambda.batchSize,
                batchingWindowSeconds: config.lambda.batchingWindowSeconds,
                maxConcurrency: config.lambda.maxConcurrency,
                logRetentionDays: config.logRetentionDays,
                environment: { ...environment, NODE_OPTIONS: "--enable-source-maps" },
                idempotencyTableArn: idempotency.tableArn,
                alarmTopicArn: alarms.topicArn,
            },
            withProvider,
        );
        functionEntries.push({ consumer: consumer.name, functionName: fn.functionName });
    } else {
        const service = new QueueWorkerService(
            consumer.name,
            {
                queueArn: queue.queueArn,
                queueUrl: queue.queueUrl,
                queueName: queue.queueName,
                // The config loader guarantees an image or a build when a consumer has kind "ecs".
                image: workerImage!,
                cpu: config.worker.cpu,
                memory: config.worker.memory,
                minTasks: config.worker.minTasks,
                maxTasks: config.worker.maxTasks,
                backlogPerTask: config.worker.backlogPerTask,
                vpcId: network!.vpcId,
                subnetIds: network!.taskSubnetIds,
                assignPublicIp: network!.assignPublicIp,
                logRetentionDays: config.logRetentionDays,
                environment: {
                    ...environment,
                    [ConsumerEnv.VISIBILITY_TIMEOUT_SECONDS]: String(WORKER_VISIBILITY_TIMEOUT_SECONDS),
                    [ConsumerEnv.STOP_TIMEOUT_SECONDS]: String(WORKER_SHUTDOWN_SECONDS),
                },
                idempotencyTableArn: idempotency.tableArn,
                alarmTopicArn: alarms.topicArn,
                region: config.region,
            },
            withProvider,
        );
        serviceEntries.push({ consumer: consumer.name, clusterName: service.clusterName, serviceName: service.serviceName });
    }
}

const dashboard = new PipelineDashboard(
    "dashboard",
    {
        dashboardName: `${pulumi.getProject()}-${config.stack}`,
        region: config.region,
        topicName: events.topicName,
        queues,
        functions: functionEntries,
        services: serviceEntries,
    },
    withProvider,
);

export const topicArn = events.topicArn;
export const alarmTopicArn = alarms.topicArn;
export const queueUrls = Object.fromEntries(queues.map((q) => [q.consumer, q.queueUrl]));
export const deadLetterQueueUrls = Object.fromEntries(queues.map((q) => [q.consumer, q.deadLetterQueueUrl]));
export const functionNames = Object.fromEntries(functionEntries.map((f) => [f.consumer, f.functionName]));
export const clusterNames = Object.fromEntries(serviceEntries.map((s) => [s.consumer, s.clusterName]));
export const serviceNames = Object.fromEntries(serviceEntries.map((s) => [s.consumer, s.serviceName]));
export const dashboardUrl = dashboard.url;
export const idempotencyTableName = idempotency.tableName;
