import assert from "node:assert/strict";
import { AwsType } from "../../../policies/lib/aws-types";

describe("policies/lib/aws-types", () => {
    // Each token read from the @pulumi/aws module that declares the resource (one small file each;
    // the pack itself never loads @pulumi/aws).
    const declaringModule: Record<keyof typeof AwsType, string> = {
        Queue: "@pulumi/aws/sqs/queue",
        QueuePolicy: "@pulumi/aws/sqs/queuePolicy",
        RedrivePolicy: "@pulumi/aws/sqs/redrivePolicy",
        Topic: "@pulumi/aws/sns/topic",
        TopicPolicy: "@pulumi/aws/sns/topicPolicy",
        TopicSubscription: "@pulumi/aws/sns/topicSubscription",
        MetricAlarm: "@pulumi/aws/cloudwatch/metricAlarm",
        LambdaFunction: "@pulumi/aws/lambda/function",
        EventSourceMapping: "@pulumi/aws/lambda/eventSourceMapping",
    };

    for (const [key, token] of Object.entries(AwsType) as [keyof typeof AwsType, string][]) {
        it(`${key} is ${token}, the type token @pulumi/aws registers`, () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exported = Object.values(require(declaringModule[key]) as Record<string, { __pulumiType?: unknown }>);
            assert.ok(exported.some((resourceClass) => resourceClass?.__pulumiType === token), `${declaringModule[key]} registers no ${token}`);
        });
    }
});
