import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { cloudwatchAlarmActionsRequired } from "./cloudwatch/cloudwatch-alarm-actions-required";
import { ec2NoPublicIngress } from "./ec2/ec2-no-public-ingress";
import { ecsContainerInsightsEnabled } from "./ecs/ecs-container-insights-enabled";
import { ecsNoPrivilegedContainers } from "./ecs/ecs-no-privileged-containers";
import { ecsTaskLoggingRequired } from "./ecs/ecs-task-logging-required";
import { disposableCompute } from "./general/disposable-compute";
import { disposableEnvironments } from "./general/disposable-environments";
import { noHardcodedIps } from "./general/no-hardcoded-ips";
import { noPlaintextSecrets } from "./general/no-plaintext-secrets";
import { requiredTags } from "./general/required-tags";
import { stackFixedCostBudget } from "./general/stack-fixed-cost-budget";
import { iamNoWildcardActions } from "./iam/iam-no-wildcard-actions";
import { withExemptions } from "./lib/exemptions";
import { lambdaErrorsAlarmRequired } from "./lambda/lambda-errors-alarm-required";
import { lambdaRuntimeSupported } from "./lambda/lambda-runtime-supported";
import { lambdaSqsPartialBatchResponse } from "./lambda/lambda-sqs-partial-batch-response";
import { logRetentionRequired } from "./logs/log-retention-required";
import { snsSqsSubscriptionDeliverable } from "./sns/sns-sqs-subscription-deliverable";
import { snsTopicEncrypted } from "./sns/sns-topic-encrypted";
import { snsTopicTlsOnly } from "./sns/sns-topic-tls-only";
import { sqsDeadLetterQueueRequired } from "./sqs/sqs-dead-letter-queue-required";
import { sqsQueueAlarmRequired } from "./sqs/sqs-queue-alarm-required";
import { sqsQueueEncrypted } from "./sqs/sqs-queue-encrypted";
import { sqsQueueTlsOnly } from "./sqs/sqs-queue-tls-only";
import { sqsVisibilityTimeoutCoversConsumer } from "./sqs/sqs-visibility-timeout-covers-consumer";

/** Every policy of the pack, in the order `pulumi preview` reports them. */
const declared: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    noHardcodedIps,
    ec2NoPublicIngress,
    requiredTags,
    disposableCompute,
    disposableEnvironments,
    logRetentionRequired,
    noPlaintextSecrets,
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
    ecsContainerInsightsEnabled,
    ecsTaskLoggingRequired,
    ecsNoPrivilegedContainers,
    cloudwatchAlarmActionsRequired,
    iamNoWildcardActions,
    stackFixedCostBudget,
];

/** The policies as the pack serves them: each also accepts `exemptions` in its config (lib/exemptions.ts). */
export const policies = declared.map((policy) => withExemptions(policy));
