import type { StackValidationPolicy } from "@pulumi/policy";
import { AwsType } from "../lib/aws-types";
import { redrives } from "../lib/redrives";
import { StackIndex } from "../lib/stack";

/**
 * Compliant: every queue that is not itself a dead-letter queue has a redrive policy — its own
 * `redrivePolicy` or an `aws:sqs/redrivePolicy:RedrivePolicy` for it — naming a dead-letter queue.
 * A redrive policy unknown during preview counts as present.
 */
export const sqsDeadLetterQueueRequired: StackValidationPolicy = {
    name: "sqs-dead-letter-queue-required",
    description:
        "Without a dead-letter queue a message that always fails (a poison message) is retried until its retention runs out, " +
        "blocking consumers and hiding the failure; a redrive policy moves it aside after maxReceiveCount attempts for inspection and replay.\n" +
        "AWS documentation: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const index = StackIndex.of(args.resources);
        const queues = index.ofType(AwsType.Queue);
        const redrive = redrives(index);
        for (const queue of queues) {
            const exempt =
                redrive.deadLetterQueues.has(queue.urn) ||
                redrive.anyQueueMayBeDeadLetter ||
                redrive.queuesWithRedrive.has(queue.urn) ||
                redrive.anyQueueMayHaveRedrive;
            if (exempt) {
                continue;
            }
            const problem = redrive.malformedRedrive.has(queue.urn)
                ? "has a redrivePolicy that is not a JSON object naming a deadLetterTargetArn"
                : "has no redrive policy";
            reportViolation(
                `SQS queue '${queue.name}' ${problem}: set redrivePolicy to ` +
                    `JSON {"deadLetterTargetArn": <dead-letter queue ARN>, "maxReceiveCount": <1-1000>} ` +
                    `(or add an aws.sqs.RedrivePolicy for it) so failing messages move to a dead-letter queue.`,
                queue.urn,
            );
        }
    },
};
