import type { StackValidationPolicy } from "@pulumi/policy";
import { isSqsArn } from "../lib/aws-identifiers";
import { AwsType } from "../lib/aws-types";
import { mappingQueue } from "../lib/event-source-mappings";
import { IndexedResource, StackIndex } from "../lib/stack";
import { asArray, isUnknown, knownString } from "../lib/values";

const REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

/**
 * Compliant: an event source mapping on an SQS queue sets `functionResponseTypes` with
 * `ReportBatchItemFailures`. When its source ARN is unknown during preview, its dependency on a
 * queue decides; stream sources (Kinesis, DynamoDB) and others are not applicable.
 */
export const lambdaSqsPartialBatchResponse: StackValidationPolicy = {
    name: "lambda-sqs-partial-batch-response",
    description:
        "Without partial batch responses, one failing message makes Lambda return the whole SQS batch to the queue: messages " +
        "already processed run again and a poison message drags its batch-mates to the dead-letter queue. ReportBatchItemFailures " +
        "lets the function retry only the messages that failed.\n" +
        "AWS documentation: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const index = StackIndex.of(args.resources);
        for (const mapping of index.ofType(AwsType.EventSourceMapping)) {
            if (!readsFromSqs(index, mapping) || mayReportBatchItemFailures(mapping.props.functionResponseTypes)) {
                continue;
            }
            reportViolation(
                `Lambda event source mapping '${mapping.name}' reads an SQS queue without partial batch responses: set ` +
                    `functionResponseTypes: ["${REPORT_BATCH_ITEM_FAILURES}"] and return { batchItemFailures } from the handler ` +
                    `(e.g. with Powertools' BatchProcessor).`,
                mapping.urn,
            );
        }
    },
};

function readsFromSqs(index: StackIndex, mapping: IndexedResource): boolean {
    const source = knownString(mapping.props.eventSourceArn);
    if (source !== undefined && isSqsArn(source)) {
        return true;
    }
    // A queue of this stack, found by its known ARN or — while that is unknown — by the mapping's dependency on it.
    return mappingQueue(index, mapping).kind === "resources";
}

/** True when the response types include ReportBatchItemFailures, or may once they are known. */
function mayReportBatchItemFailures(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    return asArray(value).some((type) => isUnknown(type) || type === REPORT_BATCH_ITEM_FAILURES);
}
