import type { StackValidationPolicy } from "@pulumi/policy";
import {
    conditionsOn,
    PolicyStatement,
    principalIsEveryone,
    principalValues,
    statementCoversAction,
    wildcardMatches,
} from "../lib/policy-document";
import { AwsType } from "../lib/aws-types";
import { documentsFor, DocumentsVerdict, judgeDocuments, QUEUE_POLICIES, resourcePolicies } from "../lib/resource-policies";
import { IndexedResource, StackIndex } from "../lib/stack";
import { knownString } from "../lib/values";

/** Operators that can pin `aws:SourceArn` to a topic (`…IfExists` forms would also let requests without it through). */
const SOURCE_ARN_OPERATORS = ["ArnEquals", "ArnLike", "StringEquals", "StringLike"];
const LITERAL_OPERATORS = new Set(["stringequals"]);

/**
 * Compliant: each subscription with protocol `sqs` targets a queue whose policy allows
 * `sns.amazonaws.com` to `sqs:SendMessage`, limited to the subscription's topic by an
 * `aws:SourceArn` condition — and the queue is not encrypted with the AWS-managed `alias/aws/sqs`
 * key, which SNS cannot use.
 */
export const snsSqsSubscriptionDeliverable: StackValidationPolicy = {
    name: "sns-sqs-subscription-deliverable",
    description:
        "SNS delivers to an SQS queue only if the queue policy lets sns.amazonaws.com send messages from that topic " +
        "(and the queue's KMS key, if any, lets SNS use it); otherwise the subscription looks healthy and every message is dropped silently.\n" +
        "AWS documentation: https://docs.aws.amazon.com/sns/latest/dg/sns-sqs-as-subscriber.html",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const index = StackIndex.of(args.resources);
        const subscriptions = index.ofType(AwsType.TopicSubscription);
        const queuePolicies = resourcePolicies(index, QUEUE_POLICIES);
        for (const subscription of subscriptions) {
            if (knownString(subscription.props.protocol)?.toLowerCase() !== "sqs") {
                continue;
            }
            const endpoint = index.resolve(subscription, "endpoint", subscription.props.endpoint, [AwsType.Queue]);
            // A queue outside this stack (or not known yet) has its policy outside this stack too.
            if (endpoint.kind !== "resources") {
                continue;
            }
            const topicArn = subscriptionTopicArn(index, subscription);
            for (const queue of endpoint.targets) {
                if (isAwsManagedSqsKey(queue.props.kmsMasterKeyId)) {
                    reportViolation(
                        `SNS subscription '${subscription.name}' delivers to SQS queue '${queue.name}', which is encrypted with the ` +
                            `AWS-managed key alias/aws/sqs that SNS cannot use, so every message is dropped: use SSE-SQS ` +
                            `(sqsManagedSseEnabled: true, no kmsMasterKeyId) or a customer-managed key whose key policy allows sns.amazonaws.com.`,
                        subscription.urn,
                    );
                    continue;
                }
                const queueArn = knownString(queue.props.arn);
                const verdict = judgeDocuments(documentsFor(queuePolicies, queue.urn), (statement) => allowsTopic(statement, topicArn, queueArn));
                if (verdict === "satisfied" || verdict === "unknown") {
                    continue;
                }
                reportViolation(
                    `SNS subscription '${subscription.name}' delivers to SQS queue '${queue.name}', ${PROBLEM[verdict]}, so SNS drops ` +
                        `every message silently: add to the queue's aws.sqs.QueuePolicy a statement {"Effect": "Allow", ` +
                        `"Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": <queue ARN>, ` +
                        `"Condition": {"ArnEquals": {"aws:SourceArn": <topic ARN>}}}.`,
                    subscription.urn,
                );
            }
        }
    },
};

const PROBLEM: Record<Exclude<DocumentsVerdict, "satisfied" | "unknown">, string> = {
    absent: "which has no queue policy",
    malformed: "whose queue policy is not a valid policy document",
    unsatisfied: "whose queue policy does not allow sns.amazonaws.com to sqs:SendMessage from this topic (aws:SourceArn)",
};

/** The subscribed topic's ARN: the subscription's `topic` when known, else its topic's `arn`; undefined when not known yet. */
function subscriptionTopicArn(index: StackIndex, subscription: IndexedResource): string | undefined {
    const known = knownString(subscription.props.topic);
    if (known !== undefined) {
        return known;
    }
    const topic = index.resolve(subscription, "topic", subscription.props.topic, [AwsType.Topic]);
    return topic.kind === "resources" && topic.targets.length === 1 ? knownString(topic.targets[0].props.arn) : undefined;
}

function allowsTopic(statement: PolicyStatement, topicArn: string | undefined, queueArn: string | undefined): boolean {
    const snsMaySend =
        principalIsEveryone(statement) || principalValues(statement, "Service").some((service) => service.toLowerCase() === "sns.amazonaws.com");
    if (statement.effect !== "Allow" || !snsMaySend || !statementCoversAction(statement, "sqs:SendMessage") || !appliesTo(statement, queueArn)) {
        return false;
    }
    return conditionsOn(statement, SOURCE_ARN_OPERATORS, "aws:SourceArn").some((condition) =>
        condition.values.some((value) => value !== "*" && (topicArn === undefined || matchesTopic(condition.operator, value, topicArn))),
    );
}

function matchesTopic(operator: string, value: string, topicArn: string): boolean {
    return LITERAL_OPERATORS.has(operator.toLowerCase()) ? value === topicArn : wildcardMatches(value, topicArn);
}

/** True when the statement's resources include the queue (or the queue's ARN is not known yet). */
function appliesTo(statement: PolicyStatement, queueArn: string | undefined): boolean {
    if (queueArn === undefined) {
        return true;
    }
    if (statement.resources.length > 0) {
        return statement.resources.some((resource) => wildcardMatches(resource, queueArn));
    }
    return !statement.notResources.some((resource) => wildcardMatches(resource, queueArn));
}

function isAwsManagedSqsKey(value: unknown): boolean {
    const key = knownString(value)?.trim().toLowerCase();
    return key !== undefined && (key === "alias/aws/sqs" || key.endsWith(":alias/aws/sqs"));
}
