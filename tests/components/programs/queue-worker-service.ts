import { QueueWorkerService, QueueWorkerServiceArgs } from "../../../components/queue-worker-service";
import { ALARM_TOPIC_ARN, fixtureArgs, QUEUE_ARN, QUEUE_NAME, QUEUE_URL, REGION, withProvider } from "./fixture";

const service = new QueueWorkerService(
    "orders",
    fixtureArgs<QueueWorkerServiceArgs>({
        queueArn: QUEUE_ARN,
        queueUrl: QUEUE_URL,
        queueName: QUEUE_NAME,
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.0.0",
        cpu: 256,
        memory: 512,
        minTasks: 0,
        maxTasks: 4,
        backlogPerTask: 50,
        vpcId: "vpc-0fixture",
        subnetIds: ["subnet-0a", "subnet-0b"],
        assignPublicIp: true,
        logRetentionDays: 14,
        environment: { CONSUMER_NAME: "orders" },
        alarmTopicArn: ALARM_TOPIC_ARN,
        region: REGION,
    }),
    withProvider(),
);

export const clusterName = service.clusterName;
export const serviceName = service.serviceName;
export const logGroupName = service.logGroupName;
