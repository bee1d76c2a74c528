import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyDocument } from "./policy-documents";

export interface EventTopicArgs {
    /** Protect the topic from deletion (persistent stacks only). */
    protect: boolean;
    /**
     * KMS key for server-side encryption. The AWS-managed `alias/aws/sns` key by default: the
     * publishers of events are IAM principals, which can use it.
     */
    kmsMasterKeyId?: pulumi.Input<string>;
}

/** The SNS topic that fans every event out to the consumers' queues: encrypted, TLS only. */
export class EventTopic extends pulumi.ComponentResource {
    /** What publishers publish to and the queues subscribe to. */
    public readonly topicArn: pulumi.Output<string>;
    /** The generated name: the `TopicName` dimension of SNS metrics. */
    public readonly topicName: pulumi.Output<string>;

    constructor(name: string, args: EventTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:messaging:EventTopic", name, {}, opts);

        const topic = new aws.sns.Topic(
            name,
            { kmsMasterKeyId: args.kmsMasterKeyId ?? "alias/aws/sns" },
            { parent: this, protect: args.protect },
        );
        new aws.sns.TopicPolicy(
            `${name}-policy`,
            { arn: topic.arn, policy: policyDocument([denyInsecureTransport("sns:Publish", topic.arn)]) },
            { parent: this },
        );

        this.topicArn = topic.arn;
        this.topicName = topic.name;
        this.registerOutputs({ topicArn: this.topicArn, topicName: this.topicName });
    }
}
