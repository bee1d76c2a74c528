import type { StackValidationPolicy } from "@pulumi/policy";
import { alarmCoverage, isAlarmed, misdimensionedNote } from "../lib/alarm-coverage";
import { AwsType } from "../lib/aws-types";
import { redrives } from "../lib/redrives";
import { StackIndex } from "../lib/stack";

const BACKLOG_AGE = "ApproximateAgeOfOldestMessage";
const DEAD_LETTERS_WAITING = "ApproximateNumberOfMessagesVisible";

/**
 * Compliant: every queue has an `AWS/SQS` metric alarm whose `QueueName` dimension is that queue's
 * name, as CloudWatch matches it (its URL or ARN there matches no metric) — on
 * `ApproximateNumberOfMessagesVisible` for a dead-letter queue, on `ApproximateAgeOfOldestMessage`
 * for every other queue.
 */
export const sqsQueueAlarmRequired: StackValidationPolicy = {
    name: "sqs-queue-alarm-required",
    description:
        "A queue fails quietly: consumers stall and messages age until they expire, and messages land in a dead-letter queue " +
        "without anyone noticing. An alarm on the age of the oldest message (and on any message at all in a dead-letter queue) " +
        "turns both into a page.\n" +
        "AWS documentation: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const index = StackIndex.of(args.resources);
        const queues = index.ofType(AwsType.Queue);
        const redrive = redrives(index);
        const coverage = alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", type: AwsType.Queue });
        for (const queue of queues) {
            const isDeadLetter = redrive.deadLetterQueues.has(queue.urn);
            const wanted = isDeadLetter ? DEAD_LETTERS_WAITING : BACKLOG_AGE;
            if (isAlarmed(coverage, queue.urn, wanted)) {
                continue;
            }
            // Whether the queue is a dead-letter queue may itself be unknown; then either alarm will do.
            if (!isDeadLetter && redrive.anyQueueMayBeDeadLetter && isAlarmed(coverage, queue.urn, DEAD_LETTERS_WAITING)) {
                continue;
            }
            const role = isDeadLetter ? "dead-letter queue" : "queue";
            reportViolation(
                `SQS ${role} '${queue.name}' has no CloudWatch alarm on ${wanted}` +
                    misdimensionedNote(coverage, queue, "QueueName", "queue", "URL or ARN") +
                    `: add an aws.cloudwatch.MetricAlarm with ` +
                    `namespace "AWS/SQS", metricName "${wanted}", dimensions { QueueName: <this queue's name> } and alarmActions.`,
                queue.urn,
            );
        }
    },
};
