import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, knownBoolean, plainProps } from "../lib/values";

/**
 * Compliant: server-side encryption is not turned off — `sqsManagedSseEnabled: false` comes with a
 * `kmsMasterKeyId`. Unset means SQS's default encryption (SSE-SQS).
 */
export const sqsQueueEncrypted: ResourceValidationPolicy = {
    name: "sqs-queue-encrypted",
    description:
        "Messages often carry personal or business data and sit in the queue for days; encryption at rest (SSE-SQS, on by default, " +
        "or a KMS key) costs nothing noticeable and keeps them protected if storage or backups are ever exposed.\n" +
        "AWS documentation: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:sqs/queue:Queue") {
            return;
        }
        const props = plainProps(args.props);
        if (knownBoolean(props.sqsManagedSseEnabled) !== false || hasKmsKey(props.kmsMasterKeyId)) {
            return;
        }
        reportViolation(
            `SQS queue '${args.name}' turns server-side encryption off (sqsManagedSseEnabled: false without kmsMasterKeyId): ` +
                `remove sqsManagedSseEnabled: false to use SSE-SQS, or set kmsMasterKeyId to a KMS key.`,
        );
    },
};

/** A key is set, or will be (unknown during preview). */
function hasKmsKey(value: unknown): boolean {
    return isUnknown(value) || (typeof value === "string" && value.trim() !== "");
}
