import type { StackValidationPolicy } from "@pulumi/policy";
import { AwsType } from "../lib/aws-types";
import { mappingFunction, mappingQueue } from "../lib/event-source-mappings";
import { StackIndex } from "../lib/stack";
import { isUnknown, knownNumber } from "../lib/values";

/** SQS's default visibility timeout and Lambda's default function timeout, in seconds. */
const DEFAULT_VISIBILITY_TIMEOUT = 30;
const DEFAULT_FUNCTION_TIMEOUT = 3;

export interface SqsVisibilityTimeoutCoversConsumerArgs {
    /** How many function timeouts the queue's visibility timeout must cover (AWS's guidance: 6). */
    timeoutMultiple?: number;
}

/**
 * Compliant: for each Lambda event source mapping on a queue, the queue's
 * `visibilityTimeoutSeconds` (30 if unset) ≥ 6 × the function's `timeout` (3 if unset). A
 * violation is one of two: below that guidance, or below the function's timeout itself, which
 * Lambda refuses when the mapping is created or updated.
 */
export const sqsVisibilityTimeoutCoversConsumer: StackValidationPolicy = {
    name: "sqs-visibility-timeout-covers-consumer",
    description:
        "When a queue's visibility timeout is shorter than the time Lambda may spend on a batch, messages reappear while still " +
        "being processed and are handled twice. The Lambda developer guide's \"Creating and configuring an Amazon SQS event source " +
        "mapping\" asks for at least six times the function timeout, and Lambda refuses a mapping whose function timeout exceeds it.\n" +
        "AWS documentation: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            timeoutMultiple: {
                type: "number",
                minimum: 1,
                default: 6,
                description: "How many function timeouts the queue's visibility timeout must cover.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const index = StackIndex.of(args.resources);
        const mappings = index.ofType(AwsType.EventSourceMapping);
        const multiple = knownNumber(args.getConfig<SqsVisibilityTimeoutCoversConsumerArgs>().timeoutMultiple) ?? 6;
        const reported = new Set<string>();
        for (const mapping of mappings) {
            const queueReference = mappingQueue(index, mapping);
            const functionReference = mappingFunction(index, mapping);
            // A queue or function outside this stack (or not known yet) cannot be judged from here.
            if (queueReference.kind !== "resources" || functionReference.kind !== "resources") {
                continue;
            }
            for (const queue of queueReference.targets) {
                const visibilityTimeout = seconds(queue.props.visibilityTimeoutSeconds, DEFAULT_VISIBILITY_TIMEOUT);
                for (const fn of functionReference.targets) {
                    const functionTimeout = seconds(fn.props.timeout, DEFAULT_FUNCTION_TIMEOUT);
                    const pair = `${queue.urn} ${fn.urn}`;
                    if (visibilityTimeout === undefined || functionTimeout === undefined || reported.has(pair)) {
                        continue;
                    }
                    const needed = multiple * functionTimeout;
                    if (visibilityTimeout >= needed) {
                        continue;
                    }
                    reported.add(pair);
                    reportViolation(
                        visibilityTimeout < functionTimeout
                            ? `SQS queue '${queue.name}' has a visibility timeout of ${visibilityTimeout} s, less than the ${functionTimeout} s ` +
                                  `timeout of its consumer, Lambda function '${fn.name}': Lambda refuses to create or update the event source ` +
                                  `mapping. Set visibilityTimeoutSeconds to at least ${needed} (${multiple} × the function's timeout, AWS's guidance), ` +
                                  `or shorten the function's timeout.`
                            : `SQS queue '${queue.name}' has a visibility timeout of ${visibilityTimeout} s, less than ${multiple} × the ` +
                                  `${functionTimeout} s timeout of its consumer, Lambda function '${fn.name}', below AWS's guidance for an SQS ` +
                                  `event source: set visibilityTimeoutSeconds to at least ${needed} (or shorten the function's timeout).`,
                        queue.urn,
                    );
                }
            }
        }
    },
};

/** A timeout in seconds: the default when unset, undefined when unknown or not a number (nothing to judge). */
function seconds(value: unknown, unset: number): number | undefined {
    if (value === undefined || value === null) {
        return unset;
    }
    return isUnknown(value) ? undefined : knownNumber(value);
}
