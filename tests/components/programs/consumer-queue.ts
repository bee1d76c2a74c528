import { ConsumerQueue, ConsumerQueueArgs } from "../../../components/consumer-queue";
import { ALARM_TOPIC_ARN, EVENT_TOPIC_ARN, fixtureArgs, withProvider } from "./fixture";

const queue = new ConsumerQueue(
    "orders",
    fixtureArgs<ConsumerQueueArgs>({
        topicArn: EVENT_TOPIC_ARN,
        filterPolicyScope: "MessageBody",
        maxReceiveCount: 5,
        maxMessageAgeSeconds: 300,
        visibilityTimeoutSeconds: 180,
        alarmTopicArn: ALARM_TOPIC_ARN,
        protect: false,
    }),
    withProvider(),
);

export const queueArn = queue.queueArn;
export const queueUrl = queue.queueUrl;
export const queueName = queue.queueName;
export const deadLetterQueueArn = queue.deadLetterQueueArn;
export const deadLetterQueueUrl = queue.deadLetterQueueUrl;
export const deadLetterQueueName = queue.deadLetterQueueName;
