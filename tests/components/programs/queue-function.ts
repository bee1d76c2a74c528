import * as pulumi from "@pulumi/pulumi";
import { QueueFunction, QueueFunctionArgs } from "../../../components/queue-function";
import { ALARM_TOPIC_ARN, fixtureArgs, QUEUE_ARN, withProvider } from "./fixture";

const code = new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ batchItemFailures: [] });\n") });

const fn = new QueueFunction(
    "orders",
    fixtureArgs<QueueFunctionArgs>({
        queueArn: QUEUE_ARN,
        code,
        handler: "index.handler",
        timeoutSeconds: 30,
        memoryMb: 256,
        batchSize: 10,
        batchingWindowSeconds: 0,
        maxConcurrency: 5,
        logRetentionDays: 14,
        environment: { CONSUMER_NAME: "orders" },
        alarmTopicArn: ALARM_TOPIC_ARN,
    }),
    withProvider(),
);

export const functionName = fn.functionName;
export const functionArn = fn.functionArn;
export const logGroupName = fn.logGroupName;
