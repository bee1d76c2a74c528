import type { StackValidationPolicy } from "@pulumi/policy";
import { deniesInsecureTransport, PolicyStatement, statementCoversAction } from "../lib/policy-document";
import { AwsType } from "../lib/aws-types";
import { documentsFor, DocumentsVerdict, judgeDocuments, resourcePolicies, TOPIC_POLICIES } from "../lib/resource-policies";
import { StackIndex } from "../lib/stack";

/**
 * Compliant: each topic's policy (its own `policy` or an `aws:sns/topicPolicy:TopicPolicy` for it)
 * denies everyone when `aws:SecureTransport` is `false`, for `sns:*`, `*`, or at least
 * `sns:Publish` (the request that carries the message; AWS's own example of this deny).
 */
export const snsTopicTlsOnly: StackValidationPolicy = {
    name: "sns-topic-tls-only",
    description:
        "SNS accepts publish requests over plain HTTP unless the topic policy refuses them; a message published without TLS can " +
        "be read or altered on the way. Denying requests where aws:SecureTransport is false enforces encryption in transit.\n" +
        "AWS documentation: https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const index = StackIndex.of(args.resources);
        const topics = index.ofType(AwsType.Topic);
        const policies = resourcePolicies(index, TOPIC_POLICIES);
        for (const topic of topics) {
            const verdict = judgeDocuments(documentsFor(policies, topic.urn), deniesSnsWithoutTls);
            if (verdict === "satisfied" || verdict === "unknown") {
                continue;
            }
            reportViolation(
                `SNS topic '${topic.name}' ${PROBLEM[verdict]}: add a statement ` +
                    `{"Effect": "Deny", "Principal": "*", "Action": "sns:Publish" (or "sns:*"), "Resource": <topic ARN>, ` +
                    `"Condition": {"Bool": {"aws:SecureTransport": "false"}}} to its aws.sns.TopicPolicy.`,
                topic.urn,
            );
        }
    },
};

const PROBLEM: Record<Exclude<DocumentsVerdict, "satisfied" | "unknown">, string> = {
    absent: "has no topic policy, so it accepts requests without TLS",
    malformed: "has a topic policy that is not a valid policy document, so nothing denies requests without TLS",
    unsatisfied: "has a topic policy that does not deny requests to everyone when aws:SecureTransport is false",
};

function deniesSnsWithoutTls(statement: PolicyStatement): boolean {
    return deniesInsecureTransport(statement) && statementCoversAction(statement, "sns:Publish");
}
