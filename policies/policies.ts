import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { lambdaErrorsAlarmRequired } from "./lambda/lambda-errors-alarm-required";
import { lambdaRuntimeSupported } from "./lambda/lambda-runtime-supported";
import { lambdaSqsPartialBatchResponse } from "./lambda/lambda-sqs-partial-batch-response";
import { snsSqsSubscriptionDeliverable } from "./sns/sns-sqs-subscription-deliverable";
import { snsTopicEncrypted } from "./sns/sns-topic-encrypted";
import { snsTopicTlsOnly } from "./sns/sns-topic-tls-only";
import { sqsDeadLetterQueueRequired } from "./sqs/sqs-dead-letter-queue-required";
import { sqsQueueAlarmRequired } from "./sqs/sqs-queue-alarm-required";
import { sqsQueueEncrypted } from "./sqs/sqs-queue-encrypted";
import { sqsQueueTlsOnly } from "./sqs/sqs-queue-tls-only";
import { sqsVisibilityTimeoutCoversConsumer } from "./sqs/sqs-visibility-timeout-covers-consumer";

/** Every policy of the pack, in the order `pulumi preview` reports them. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    sqsQueueAlarmRequired,
    sqsDeadLetterQueueRequired,
    sqsQueueEncrypted,
    sqsQueueTlsOnly,
    sqsVisibilityTimeoutCoversConsumer,
    snsTopicEncrypted,
    snsTopicTlsOnly,
    snsSqsSubscriptionDeliverable,
    lambdaSqsPartialBatchResponse,
    lambdaErrorsAlarmRequired,
    lambdaRuntimeSupported,
];
