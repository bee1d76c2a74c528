import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface OrderQueueArgs {
    tags: Record<string, pulumi.Input<string>>;
}

/** A queue with its dead-letter queue; no alarms, no TLS-only policies, the queue unencrypted. */
export class OrderQueue extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: OrderQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orders:messaging:OrderQueue", name, {}, opts);
        const deadLetters = new aws.sqs.Queue(`${name}-dlq`, { tags: args.tags }, { parent: this }); // expect: sqs-queue-alarm-required sqs-queue-tls-only
        const queue = new aws.sqs.Queue( // expect: sqs-queue-encrypted sqs-queue-alarm-required sqs-queue-tls-only
            name,
            {
                sqsManagedSseEnabled: false,
                redrivePolicy: deadLetters.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 5 })),
                tags: args.tags,
            },
            { parent: this },
        );
        this.url = queue.url;
        this.registerOutputs({ url: this.url });
    }
}
