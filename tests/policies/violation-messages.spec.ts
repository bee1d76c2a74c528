/**
 * The whole text of each policy's violation message, for one typical violation each: what is
 * wrong, with which resource, and how to fix it. A message is what a developer reads in
 * `pulumi preview`; a lost clause (the fix, the key to set, the value to use) is a regression
 * even when the violation itself is still reported.
 */
import assert from "node:assert/strict";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policies/policies";
import { FixtureResource, validateResource, validateStack } from "./harness";
import { change, PHYSICAL, pipeline, queueUrl, remove } from "./pipeline-fixtures";

const policy = (name: string) => {
    const found = policies.find((p) => p.name === name);
    assert.ok(found, name);
    return found;
};
const deployed = () => pipeline("deployed");

interface Case {
    policy: string;
    title: string;
    resource?: Omit<FixtureResource, "name">;
    stack?: () => FixtureResource[];
    messages: string[];
}

const CASES: Case[] = [
    {
        policy: "cloudwatch-alarm-actions-required",
        title: "an alarm without actions",
        resource: { type: "aws:cloudwatch/metricAlarm:MetricAlarm", props: { alarmActions: [] } },
        messages: ["The alarm has no alarmActions. Add at least one target, e.g. the ARN of an SNS topic that pages the owning team or of the scaling policy the alarm drives."],
    },
    {
        policy: "ecs-container-insights-enabled",
        title: "two containerInsights settings, neither enabled",
        resource: { type: "aws:ecs/cluster:Cluster", props: { settings: [{ name: "containerInsights", value: "disabled" }, { name: "containerInsights", value: "off" }] } },
        messages: [
            'The cluster\'s containerInsights setting is "disabled", "off". Add settings: [{ name: "containerInsights", value: "enhanced" }] (or "enabled") so CloudWatch collects per-task metrics.',
        ],
    },
    {
        policy: "ecs-no-privileged-containers",
        title: "a privileged container",
        resource: { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: JSON.stringify([{ name: "worker", privileged: true }]) } },
        messages: [
            "Container 'worker' runs privileged. Remove privileged: true; grant a specific Linux capability through linuxParameters.capabilities.add only if the workload truly needs one.",
        ],
    },
    {
        policy: "ecs-task-logging-required",
        title: "a container without logConfiguration",
        resource: { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: JSON.stringify([{ name: "worker" }]) } },
        messages: [
            'Container \'worker\' has no logConfiguration. Add logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": <log group name>, "awslogs-region": <region>, "awslogs-stream-prefix": <prefix> } } pointing at a log group with a retention.',
        ],
    },
    {
        policy: "disposable-compute",
        title: "an EC2 instance",
        resource: { type: "aws:ec2/instance:Instance", props: {} },
        messages: [
            "aws:ec2/instance:Instance is a hand-kept server. Run the workload as an ECS service on Fargate (or a Lambda function) so every deployment replaces it with a fresh, identical copy.",
        ],
    },
    {
        policy: "disposable-compute",
        title: "a hand-made Elastic IP",
        resource: { type: "aws:ec2/eip:Eip", props: {} },
        messages: [
            "An Elastic IP pins a fixed public address to this stack. Let clients find the service by DNS name (a load balancer or API endpoint) instead; NAT gateway addresses are created for you by awsx.ec2.Vpc.",
        ],
    },
    {
        policy: "disposable-environments",
        title: "a protected bucket without forceDestroy in dev",
        resource: { type: "aws:s3/bucket:Bucket", props: {}, protect: true },
        messages: [
            "The resource is protected in the disposable stack 'dev', so `pulumi destroy` fails on it. Remove `protect: true` (set it only for stacks listed in this policy's persistentStacks).",
            "aws:s3/bucket:Bucket in the disposable stack 'dev' does not set forceDestroy: true, so `pulumi destroy` fails once it holds anything. Set forceDestroy: true for stacks not listed in persistentStacks.",
        ],
    },
    {
        policy: "no-plaintext-secrets",
        title: "a function's literal password",
        resource: { type: "aws:lambda/function:Function", props: { environment: { variables: { DB_PASSWORD: "hunter2" } } } },
        messages: [
            "Environment variable DB_PASSWORD holds a literal secret. Store the value in Secrets Manager or SSM Parameter Store (SecureString) and pass its ARN or name (e.g. DB_PASSWORD_SECRET_ARN) and read it at run time (the Parameters and Secrets Lambda extension caches it).",
        ],
    },
    {
        policy: "no-plaintext-secrets",
        title: "a container's literal password",
        resource: { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: JSON.stringify([{ environment: [{ name: "DB_PASSWORD", value: "hunter2" }] }]) } },
        messages: [
            'Container #1 sets environment variable DB_PASSWORD to a literal secret. Store the value in Secrets Manager or SSM Parameter Store (SecureString) and move it to the container\'s secrets: [{ name: "DB_PASSWORD", valueFrom: <secret or parameter ARN> }].',
        ],
    },
    {
        policy: "lambda-runtime-supported",
        title: "a deprecated runtime",
        resource: { type: "aws:lambda/function:Function", props: { runtime: "nodejs18.x" } },
        messages: ["Lambda function 'subject' uses the deprecated runtime nodejs18.x: move it to a supported one (e.g. nodejs22.x, python3.13, java21) and test it there."],
    },
    {
        policy: "sns-topic-encrypted",
        title: "a topic without a key",
        resource: { type: "aws:sns/topic:Topic", props: {} },
        messages: [
            "SNS topic 'subject' is not encrypted at rest (no kmsMasterKeyId): set kmsMasterKeyId to a KMS key — a customer-managed key whose key policy lets the publishing services use it, as AWS services cannot publish to a topic encrypted with alias/aws/sns.",
        ],
    },
    {
        policy: "sqs-queue-encrypted",
        title: "a queue with SSE off",
        resource: { type: "aws:sqs/queue:Queue", props: { sqsManagedSseEnabled: false } },
        messages: [
            "SQS queue 'subject' turns server-side encryption off (sqsManagedSseEnabled: false without kmsMasterKeyId): remove sqsManagedSseEnabled: false to use SSE-SQS, or set kmsMasterKeyId to a KMS key.",
        ],
    },
    {
        policy: "lambda-sqs-partial-batch-response",
        title: "a mapping without ReportBatchItemFailures",
        stack: () => change(deployed(), "orders-mapping", { functionResponseTypes: [] }),
        messages: [
            "Lambda event source mapping 'orders-mapping' reads an SQS queue without partial batch responses: set functionResponseTypes: [\"ReportBatchItemFailures\"] and return { batchItemFailures } from the handler (e.g. with Powertools' BatchProcessor).",
        ],
    },
    {
        policy: "sns-sqs-subscription-deliverable",
        title: "a queue encrypted with alias/aws/sqs",
        stack: () => change(deployed(), "orders-queue", { kmsMasterKeyId: "alias/aws/sqs", sqsManagedSseEnabled: undefined }),
        messages: [
            "SNS subscription 'orders-subscription' delivers to SQS queue 'orders-queue', which is encrypted with the AWS-managed key alias/aws/sqs that SNS cannot use, so every message is dropped: use SSE-SQS (sqsManagedSseEnabled: true, no kmsMasterKeyId) or a customer-managed key whose key policy allows sns.amazonaws.com.",
        ],
    },
    {
        policy: "sns-topic-tls-only",
        title: "a topic without a topic policy",
        stack: () => remove(deployed(), "orders-events-policy"),
        messages: [
            'SNS topic \'orders-events\' has no topic policy, so it accepts requests without TLS: add a statement {"Effect": "Deny", "Principal": "*", "Action": "sns:Publish" (or "sns:*"), "Resource": <topic ARN>, "Condition": {"Bool": {"aws:SecureTransport": "false"}}} to its aws.sns.TopicPolicy.',
        ],
    },
    {
        policy: "sqs-queue-tls-only",
        title: "a queue without a queue policy",
        stack: () => remove(deployed(), "orders-dlq-policy"),
        messages: [
            'SQS queue \'orders-dlq\' has no queue policy, so it accepts requests without TLS: add a statement {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": <queue ARN>, "Condition": {"Bool": {"aws:SecureTransport": "false"}}} to its aws.sqs.QueuePolicy.',
        ],
    },
    {
        policy: "sqs-dead-letter-queue-required",
        title: "a queue without a redrive policy",
        stack: () => change(deployed(), "orders-queue", { redrivePolicy: undefined }),
        messages: ["orders-dlq", "orders-queue"].map(
            (queue) =>
                `SQS queue '${queue}' has no redrive policy: set redrivePolicy to JSON {"deadLetterTargetArn": <dead-letter queue ARN>, "maxReceiveCount": <1-1000>} (or add an aws.sqs.RedrivePolicy for it) so failing messages move to a dead-letter queue.`,
        ),
    },
    {
        policy: "sqs-queue-alarm-required",
        title: "a queue without its age alarm",
        stack: () => remove(deployed(), "orders-queue-age"),
        messages: [
            'SQS queue \'orders-queue\' has no CloudWatch alarm on ApproximateAgeOfOldestMessage: add an aws.cloudwatch.MetricAlarm with namespace "AWS/SQS", metricName "ApproximateAgeOfOldestMessage", dimensions { QueueName: <this queue\'s name> } and alarmActions.',
        ],
    },
    {
        policy: "sqs-queue-alarm-required",
        title: "a dead-letter queue without its visible-messages alarm",
        stack: () => remove(deployed(), "orders-dlq-visible"),
        messages: [
            'SQS dead-letter queue \'orders-dlq\' has no CloudWatch alarm on ApproximateNumberOfMessagesVisible: add an aws.cloudwatch.MetricAlarm with namespace "AWS/SQS", metricName "ApproximateNumberOfMessagesVisible", dimensions { QueueName: <this queue\'s name> } and alarmActions.',
        ],
    },
    {
        policy: "sns-sqs-subscription-deliverable",
        title: "a queue without a queue policy",
        stack: () => remove(deployed(), "orders-queue-policy"),
        messages: [
            'SNS subscription \'orders-subscription\' delivers to SQS queue \'orders-queue\', which has no queue policy, so SNS drops every message silently: add to the queue\'s aws.sqs.QueuePolicy a statement {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": <queue ARN>, "Condition": {"ArnEquals": {"aws:SourceArn": <topic ARN>}}}.',
        ],
    },
    {
        policy: "required-tags",
        title: "missing and empty tags",
        resource: { type: "aws:sqs/queue:Queue", props: { tags: { Project: "" } } },
        messages: [
            "aws:sqs/queue:Queue lacks the required tags Environment, Owner and has an empty value for Project. Set them once for the whole stack in the AWS provider's defaultTags (or in this resource's tags), each with a non-empty value.",
        ],
    },
    {
        policy: "sqs-visibility-timeout-covers-consumer",
        title: "two pipelines, each queue's timeout too short: one message per queue and function",
        stack: () => [
            ...change(pipeline("deployed", "a"), "orders-a-queue", { visibilityTimeoutSeconds: 30 }),
            ...change(pipeline("deployed", "b"), "orders-b-queue", { visibilityTimeoutSeconds: 30 }),
        ],
        messages: ["a", "b"].map(
            (copy) =>
                `SQS queue 'orders-${copy}-queue' has a visibility timeout of 30 s, less than 6 × the 30 s timeout of its consumer, Lambda function 'orders-${copy}-consumer', below AWS's guidance for an SQS event source: set visibilityTimeoutSeconds to at least 180 (or shorten the function's timeout).`,
        ),
    },
    {
        policy: "sqs-visibility-timeout-covers-consumer",
        title: "a visibility timeout shorter than six function timeouts",
        stack: () => change(deployed(), "orders-queue", { visibilityTimeoutSeconds: 30 }),
        messages: [
            "SQS queue 'orders-queue' has a visibility timeout of 30 s, less than 6 × the 30 s timeout of its consumer, Lambda function 'orders-consumer', below AWS's guidance for an SQS event source: set visibilityTimeoutSeconds to at least 180 (or shorten the function's timeout).",
        ],
    },
    {
        policy: "sqs-visibility-timeout-covers-consumer",
        title: "a visibility timeout shorter than the function's timeout, which Lambda refuses",
        stack: () => change(deployed(), "orders-queue", { visibilityTimeoutSeconds: 20 }),
        messages: [
            "SQS queue 'orders-queue' has a visibility timeout of 20 s, less than the 30 s timeout of its consumer, Lambda function 'orders-consumer': Lambda refuses to create or update the event source mapping. Set visibilityTimeoutSeconds to at least 180 (6 × the function's timeout, AWS's guidance), or shorten the function's timeout.",
        ],
    },
    {
        policy: "sqs-queue-alarm-required",
        title: "a queue alarmed by its URL instead of its name",
        stack: () => change(deployed(), "orders-queue-age", { dimensions: { QueueName: queueUrl(PHYSICAL.queue) } }),
        messages: [
            'SQS queue \'orders-queue\' has no CloudWatch alarm on ApproximateAgeOfOldestMessage (alarm \'orders-queue-age\' watches nothing: the QueueName dimension must be the queue\'s name, orders-queue-2a2b2c2, not its URL or ARN): add an aws.cloudwatch.MetricAlarm with namespace "AWS/SQS", metricName "ApproximateAgeOfOldestMessage", dimensions { QueueName: <this queue\'s name> } and alarmActions.',
        ],
    },
    {
        policy: "lambda-errors-alarm-required",
        title: "a function without an Errors alarm",
        stack: () => remove(deployed(), "orders-errors"),
        messages: [
            'Lambda function \'orders-consumer\' has no CloudWatch alarm on its Errors metric: add an aws.cloudwatch.MetricAlarm with namespace "AWS/Lambda", metricName "Errors", dimensions { FunctionName: <this function\'s name> } and alarmActions.',
        ],
    },
];

describe("violation messages, word for word", () => {
    for (const c of CASES) {
        it(`${c.policy}: ${c.title}`, async () => {
            const violations = c.stack
                ? await validateStack(policy(c.policy) as StackValidationPolicy, c.stack())
                : await validateResource(policy(c.policy) as ResourceValidationPolicy, c.resource!);
            assert.deepEqual(violations.map((v) => v.message).sort(), [...c.messages].sort());
        });
    }
});
