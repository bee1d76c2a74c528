/**
 * The type tokens of the resources the stack policies relate. Matched as strings: `@pulumi/aws`
 * is never loaded by the pack (it takes seconds to load, and the pack must start in about a second).
 */
export const AwsType = {
    Queue: "aws:sqs/queue:Queue",
    QueuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    RedrivePolicy: "aws:sqs/redrivePolicy:RedrivePolicy",
    Topic: "aws:sns/topic:Topic",
    TopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    TopicSubscription: "aws:sns/topicSubscription:TopicSubscription",
    MetricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    LambdaFunction: "aws:lambda/function:Function",
    EventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
} as const;
