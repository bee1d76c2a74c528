import type { StackValidationPolicy } from "@pulumi/policy";
import { deniesInsecureTransport, PolicyStatement, statementCoversService } from "../lib/policy-document";
import { AwsType } from "../lib/aws-types";
import { documentsFor, DocumentsVerdict, judgeDocuments, QUEUE_POLICIES, resourcePolicies } from "../lib/resource-policies";
import { StackIndex } from "../lib/stack";

/**
 * Compliant: each queue's policy (its own `policy` or an `aws:sqs/queuePolicy:QueuePolicy` for
 * it) denies `sqs:*` (or `*`) to `*` when `aws:SecureTransport` is `false`.
 */
export const sqsQueueTlsOnly: StackValidationPolicy = {
    name: "sqs-queue-tls-only",
    description:
        "SQS accepts plain HTTP requests unless the queue policy refuses them; a message sent or received without TLS can be " +
        "read or altered on the way. Denying every request where aws:SecureTransport is false makes encryption in transit a rule, not a habit.\n" +
        "AWS documentation: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const index = StackIndex.of(args.resources);
        const queues = index.ofType(AwsType.Queue);
        const policies = resourcePolicies(index, QUEUE_POLICIES);
        for (const queue of queues) {
            const verdict = judgeDocuments(documentsFor(policies, queue.urn), deniesSqsWithoutTls);
            if (verdict === "satisfied" || verdict === "unknown") {
                continue;
            }
            reportViolation(
                `SQS queue '${queue.name}' ${PROBLEM[verdict]}: add a statement ` +
                    `{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": <queue ARN>, ` +
                    `"Condition": {"Bool": {"aws:SecureTransport": "false"}}} to its aws.sqs.QueuePolicy.`,
                queue.urn,
            );
        }
    },
};

const PROBLEM: Record<Exclude<DocumentsVerdict, "satisfied" | "unknown">, string> = {
    absent: "has no queue policy, so it accepts requests without TLS",
    malformed: "has a queue policy that is not a valid policy document, so nothing denies requests without TLS",
    unsatisfied: "has a queue policy that does not deny sqs:* to everyone when aws:SecureTransport is false",
};

function deniesSqsWithoutTls(statement: PolicyStatement): boolean {
    return deniesInsecureTransport(statement) && statementCoversService(statement, "sqs");
}
