import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyDocument } from "./policy-documents";

export interface AlarmTopicArgs {
    /** E-mail addresses subscribed to every alarm (each confirms its subscription once); may be empty. */
    emails: string[];
}

/**
 * The SNS topic every alarm notifies. CloudWatch cannot publish to a topic encrypted with the
 * AWS-managed `alias/aws/sns` key, so this topic has a customer-managed key whose key policy lets
 * `cloudwatch.amazonaws.com` use it, and a topic policy that lets CloudWatch alarms of this account
 * publish, besides denying requests without TLS.
 */
export class AlarmTopic extends pulumi.ComponentResource {
    /** What every alarm notifies. */
    public readonly topicArn: pulumi.Output<string>;
    /** The topic's KMS key. */
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:observability:AlarmTopic", name, {}, opts);

        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: "Encrypts the event-pipeline alarm topic; usable by CloudWatch alarms of this account",
                enableKeyRotation: true,
                deletionWindowInDays: 7,
                policy: policyDocument([
                    {
                        // AWS's default key policy: the account's IAM policies decide who administers the key.
                        Sid: "AccountAdministersKey",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        Sid: "CloudWatchAlarmsEncrypt",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                        Resource: "*",
                        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                    },
                ]),
            },
            { parent: this },
        );

        const topic = new aws.sns.Topic(name, { kmsMasterKeyId: key.arn }, { parent: this });
        new aws.sns.TopicPolicy(
            `${name}-policy`,
            {
                arn: topic.arn,
                policy: policyDocument([
                    {
                        Sid: "CloudWatchAlarmsPublish",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                    },
                    denyInsecureTransport("sns:Publish", topic.arn),
                ]),
            },
            { parent: this },
        );
        args.emails.forEach((email, index) => {
            new aws.sns.TopicSubscription(`${name}-email-${index}`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this });
        });

        this.topicArn = topic.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
    }
}
