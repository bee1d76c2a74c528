import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, plainProps } from "../lib/values";

/** Compliant: the topic sets `kmsMasterKeyId` (known, or unknown until deploy time). */
export const snsTopicEncrypted: ResourceValidationPolicy = {
    name: "sns-topic-encrypted",
    description:
        "SNS stores messages until they are delivered, and topics are not encrypted at rest unless given a KMS key; " +
        "setting kmsMasterKeyId keeps published data encrypted and puts access to it under the key's policy.\n" +
        "AWS documentation: https://docs.aws.amazon.com/config/latest/developerguide/sns-encrypted-kms.html",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:sns/topic:Topic") {
            return;
        }
        const keyId = plainProps(args.props).kmsMasterKeyId;
        if (isUnknown(keyId) || (typeof keyId === "string" && keyId.trim() !== "")) {
            return;
        }
        reportViolation(
            `SNS topic '${args.name}' is not encrypted at rest (no kmsMasterKeyId): set kmsMasterKeyId to a KMS key — ` +
                `a customer-managed key whose key policy lets the publishing services use it, as AWS services cannot publish to ` +
                `a topic encrypted with alias/aws/sns.`,
        );
    },
};
