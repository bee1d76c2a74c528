/**
 * A property of every policy of the pack: whatever props its resources carry — anything at all,
 * JSON strings (valid or not), the engine's unknown sentinels, values of the wrong type, and
 * near-valid shapes (policy documents, container definitions, redrive policies, ingress rules,
 * alarm dimensions) with arbitrary holes — a policy never throws and never lets an
 * `UnknownValueError` escape. A throwing policy blocks every preview; an escaped unknown turns into
 * a "can't run policy" advisory that silently skips the check.
 *
 * Props reach each policy wrapped in `@pulumi/policy`'s `unknownCheckingProxy`, as the policy
 * server wraps them (tests/policies/harness.ts); stack policies get arbitrary graphs of resources of
 * their types, with arbitrary `propertyDependencies` between them and identifiers that collide.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policies/policies";
import { UNKNOWN_SENTINELS } from "../../tools/analyzer";
import { FixtureResource, UNKNOWN, urnOf, validateResource, validateStack, Violation } from "./harness";

/**
 * The resource types each policy judges (it does not expose them), plus one it must ignore. A
 * stack policy gets graphs of these types; a resource policy gets one resource of one of them.
 */
export const POLICY_RESOURCE_TYPES: Record<string, readonly string[]> = {
    "no-hardcoded-ips": [
        "aws:lambda/function:Function", "aws:ecs/taskDefinition:TaskDefinition", "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "awsx:ec2:Vpc", "aws:sqs/queuePolicy:QueuePolicy", "aws:route53/record:Record",
    ],
    "ec2-no-public-ingress": [
        "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:sqs/queue:Queue",
    ],
    "required-tags": ["aws:sqs/queue:Queue", "aws:sns/topic:Topic", "aws:autoscaling/group:Group", "aws:sns/topicSubscription:TopicSubscription"],
    "disposable-compute": [
        "aws:ec2/instance:Instance", "aws:ec2/spotInstanceRequest:SpotInstanceRequest", "aws:ec2/eip:Eip", "aws:ecs/service:Service", "aws:sqs/queue:Queue",
    ],
    "disposable-environments": ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:ecr/repository:Repository", "aws:sqs/queue:Queue"],
    "log-retention-required": ["aws:cloudwatch/logGroup:LogGroup", "aws:sqs/queue:Queue"],
    "no-plaintext-secrets": ["aws:lambda/function:Function", "aws:ecs/taskDefinition:TaskDefinition", "aws:sqs/queue:Queue"],
    "sqs-queue-alarm-required": ["aws:sqs/queue:Queue", "aws:sqs/redrivePolicy:RedrivePolicy", "aws:cloudwatch/metricAlarm:MetricAlarm"],
    "sqs-dead-letter-queue-required": ["aws:sqs/queue:Queue", "aws:sqs/redrivePolicy:RedrivePolicy"],
    "sqs-queue-encrypted": ["aws:sqs/queue:Queue", "aws:sns/topic:Topic"],
    "sqs-queue-tls-only": ["aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy"],
    "sqs-visibility-timeout-covers-consumer": ["aws:sqs/queue:Queue", "aws:lambda/function:Function", "aws:lambda/eventSourceMapping:EventSourceMapping"],
    "sns-topic-encrypted": ["aws:sns/topic:Topic", "aws:sqs/queue:Queue"],
    "sns-topic-tls-only": ["aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy"],
    "sns-sqs-subscription-deliverable": [
        "aws:sns/topicSubscription:TopicSubscription", "aws:sns/topic:Topic", "aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy",
    ],
    "lambda-sqs-partial-batch-response": ["aws:lambda/eventSourceMapping:EventSourceMapping", "aws:sqs/queue:Queue", "aws:lambda/function:Function"],
    "lambda-errors-alarm-required": ["aws:lambda/function:Function", "aws:cloudwatch/metricAlarm:MetricAlarm"],
    "lambda-runtime-supported": ["aws:lambda/function:Function", "aws:sqs/queue:Queue"],
    "ecs-container-insights-enabled": ["aws:ecs/cluster:Cluster", "aws:sqs/queue:Queue"],
    "ecs-task-logging-required": ["aws:ecs/taskDefinition:TaskDefinition", "aws:sqs/queue:Queue"],
    "ecs-no-privileged-containers": ["aws:ecs/taskDefinition:TaskDefinition", "aws:sqs/queue:Queue"],
    "cloudwatch-alarm-actions-required": ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sqs/queue:Queue"],
    "iam-no-wildcard-actions": [
        "aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy",
        "aws:iam/role:Role", "aws:kms/key:Key",
    ],
    "stack-fixed-cost-budget": [
        "awsx:ec2:Vpc", "aws:ec2/natGateway:NatGateway", "aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition",
        "aws:appautoscaling/target:Target", "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:dynamodb/table:Table",
        "aws:lb/loadBalancer:LoadBalancer", "aws:ec2/instance:Instance", "aws:sqs/queue:Queue",
    ],
};

/** Runs per policy: enough to reach every branch often, few enough that the spec takes a few seconds. */
const RESOURCE_RUNS = 100;
const STACK_RUNS = 50;

// ---------------------------------------------------------------------------------------------
// Values

const ARNS = [
    "arn:aws:sqs:eu-west-1:123456789012:q1",
    "arn:aws:sqs:eu-west-1:123456789012:q2",
    "arn:aws:sns:eu-west-1:123456789012:t1",
    "arn:aws:lambda:eu-west-1:123456789012:function:f1",
    "arn:aws:lambda:eu-west-1:123456789012:function:f1:live",
    "arn:aws:kinesis:eu-west-1:123456789012:stream/s1",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
    "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
];
/** Identifiers shared by every resource of a graph, so that references resolve, collide and dangle. */
const IDENTIFIERS = [...ARNS, "q1", "q2", "t1", "f1", "https://sqs.eu-west-1.amazonaws.com/123456789012/q1", "alias/aws/sqs"];
const WORDS = [
    "", " ", "*", "?", "{", "[", "null", "true", "false", "0", "-1", "NaN", "1e309", "Allow", "Deny", "allow", "sqs:*", "sns:Publish",
    "kms:*", "s3:GetObject", "sqs:SendMessage", "sns.amazonaws.com", "aws:SecureTransport", "aws:SourceArn", "Bool", "ArnEquals",
    "FARGATE", "FARGATE_SPOT", "EC2", "ingress", "egress", "tcp", "udp", "icmp", "all", "6", "0.0.0.0/0", "::/0", "0.0.0.0",
    "10.0.0.1", "10.20.3", "node:22.11.0", "203.0.113.7:8080", "http://[2001:db8::1]:443/x", "fe80::1%eth0", "1.2.3.4.5",
    "sqs", "SQS", "lambda", "ReportBatchItemFailures", "AWS/SQS", "AWS/Lambda", "QueueName", "FunctionName", "Errors",
    "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible", "containerInsights", "enabled", "enhanced", "disabled",
    "nodejs20.x", "nodejs22.x", "python3.9", "go1.x", "awslogs", "DB_PASSWORD", "API_KEY_SECRET_ARN", "hunter2",
    "{{resolve:secretsmanager:db}}", "Project", "Environment", "Owner", "urn:pulumi:dev::p::aws:sqs/queue:Queue::q",
    ...IDENTIFIERS,
];
const KEYS = [
    "tags", "tagsAll", "name", "arn", "id", "url", "policy", "redrivePolicy", "deadLetterTargetArn", "maxReceiveCount",
    "kmsMasterKeyId", "sqsManagedSseEnabled", "visibilityTimeoutSeconds", "timeout", "runtime", "environment", "variables",
    "containerDefinitions", "logConfiguration", "logDriver", "privileged", "image", "value", "key", "settings",
    "ingress", "egress", "cidrBlocks", "ipv6CidrBlocks", "cidrBlock", "type", "protocol", "ipProtocol", "fromPort", "toPort",
    "cidrIpv4", "cidrIpv6", "launchType", "capacityProviderStrategies", "capacityProvider", "deploymentCircuitBreaker", "enable",
    "rollback", "forceDestroy", "forceDelete", "retentionInDays", "eventSourceArn", "functionName", "functionArn",
    "functionResponseTypes", "endpoint", "topic", "queueUrl", "namespace", "metricName", "dimensions", "metricQueries", "metric",
    "alarmActions", "actionsEnabled", "inlinePolicies", "assumeRolePolicy", "Statement", "Effect", "Action", "NotAction",
    "Resource", "NotResource", "Principal", "Condition", "Service", "AWS", "QueueName", "FunctionName", "subnetSpecs",
    "__proto__", "constructor", "toString", "length",
];

const sentinel = fc.constantFrom(UNKNOWN, ...Object.values(UNKNOWN_SENTINELS));
/** Names a policy may take for a secret's, or for a reference to one. */
const VARIABLE_NAMES = ["DB_PASSWORD", "API_KEY", "stripeApiKey", "githubToken", "DB_PASSWORD_SECRET_ARN", "TOKEN_TTL_SECONDS", "APP_VERSION", "LOG_LEVEL"];
const word = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 20 }), fc.string({ unit: "grapheme", maxLength: 8 }));
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
const jsonText = (value: fc.Arbitrary<unknown>) => value.map((v) => JSON.stringify(v) ?? "null");
/** JSON that is not: cut short, or with a trailing comma. */
const brokenJson = (value: fc.Arbitrary<unknown>) =>
    fc.tuple(jsonText(value), fc.nat()).map(([text, cut]) => (text.length > 1 ? text.slice(0, cut % text.length) : `${text},`));

/** Anything at all: fast-check's own generators, sentinels, JSON strings, domain words, nested mixtures. */
const { junk } = fc.letrec<{ junk: unknown }>((tie) => ({
    junk: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        { weight: 3, arbitrary: word },
        { weight: 2, arbitrary: sentinel },
        { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -70000, max: 70000 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)) },
        { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
        { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
        { weight: 1, arbitrary: jsonText(tie("junk")) },
        { weight: 1, arbitrary: brokenJson(fc.jsonValue({ maxDepth: 2 })) },
        { weight: 2, arbitrary: fc.array(tie("junk"), { maxLength: 4 }) },
        { weight: 2, arbitrary: fc.dictionary(key, tie("junk"), { maxKeys: 5 }) },
    ),
}));

/** `field`, or junk in its place. */
const orJunk = <T>(field: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: field }, { weight: 1, arbitrary: junk });
const some = <T>(values: readonly T[]) => orJunk(fc.constantFrom(...values));
const list = <T>(item: fc.Arbitrary<T>) => orJunk(fc.oneof(fc.array(item, { maxLength: 4 }), item));
/** An object with any subset of `fields`, plus a stray key now and then. */
const partial = (fields: Record<string, fc.Arbitrary<unknown>>) =>
    fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(key, junk, { maxKeys: 1 })).map(([known, stray]) => ({ ...stray, ...known }));
/** As the provider takes it (a JSON string), as an object, or broken. */
const asJson = (value: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: jsonText(value) }, value, brokenJson(value), junk);

/** A reference to another resource of the graph: a small pool, so that references resolve; unknown now and then, so that dependencies decide. */
const reference = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("q1", ARNS[0], "f1", ARNS[3], ARNS[2]) },
    { weight: 1, arbitrary: fc.constantFrom("q2", ARNS[1], ARNS[4], "https://sqs.eu-west-1.amazonaws.com/123456789012/q1") },
    { weight: 1, arbitrary: fc.constant(UNKNOWN) },
    { weight: 1, arbitrary: junk },
);
const variableName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VARIABLE_NAMES) }, { weight: 1, arbitrary: word });

const conditionBlock = partial({
    Bool: partial({ "aws:SecureTransport": some(["false", "true", false]) }),
    ArnEquals: partial({ "aws:SourceArn": list(fc.constantFrom(...ARNS, "*")) }),
    ArnLike: partial({ "aws:SourceArn": list(fc.constantFrom(...ARNS, "arn:aws:sns:*")) }),
    IpAddress: partial({ "aws:SourceIp": list(word) }),
});
const principal = fc.oneof(fc.constant("*"), partial({ AWS: list(fc.constantFrom("*", ...ARNS)), Service: list(word) }), junk);
const statement = partial({
    Sid: word,
    Effect: some(["Allow", "Deny", "allow"]),
    Principal: principal,
    Action: list(word),
    NotAction: list(word),
    Resource: list(fc.constantFrom("*", ...ARNS)),
    NotResource: list(fc.constantFrom(...ARNS)),
    Condition: orJunk(conditionBlock),
});
const policyDocument = asJson(partial({ Version: some(["2012-10-17"]), Statement: list(statement) }));
const container = partial({
    name: word,
    image: some(["node:22.11.0", "public.ecr.aws/x/y:1.2.3", "10.0.0.5:5000/app"]),
    privileged: some([true, false, "true"]),
    logConfiguration: orJunk(partial({ logDriver: some(["awslogs", ""]), options: fc.dictionary(word, word, { maxKeys: 3 }) })),
    environment: list(partial({ name: variableName, value: fc.oneof(word, junk) })),
    secrets: list(partial({ name: word, valueFrom: fc.constantFrom(...ARNS) })),
});
const tags = orJunk(fc.dictionary(fc.constantFrom("Project", "Environment", "Owner", "ManagedBy", "x"), orJunk(word), { maxKeys: 4 }));
const ingressRule = partial({
    protocol: some(["tcp", "-1", "icmp", 6, "all"]),
    fromPort: orJunk(fc.integer({ min: -1, max: 65535 })),
    toPort: orJunk(fc.integer({ min: -1, max: 65535 })),
    cidrBlocks: list(some(["0.0.0.0/0", "10.0.0.0/8"])),
    ipv6CidrBlocks: list(some(["::/0"])),
});
const dimensions = orJunk(partial({ QueueName: reference, FunctionName: reference }));
const metric = partial({ namespace: some(["AWS/SQS", "AWS/Lambda"]), metricName: some(["Errors", "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible"]), dimensions });

/** Near-valid values for the properties the policies read; any of them may be junk or missing. */
const PROPERTY_VALUES: Record<string, fc.Arbitrary<unknown>> = {
    name: reference,
    arn: reference,
    id: reference,
    url: reference,
    tags,
    tagsAll: tags,
    policy: policyDocument,
    redrivePolicy: asJson(partial({ deadLetterTargetArn: reference, maxReceiveCount: orJunk(fc.integer()) })),
    queueUrl: reference,
    kmsMasterKeyId: some(["alias/aws/sqs", "alias/events", ...ARNS]),
    sqsManagedSseEnabled: some([true, false, "false"]),
    visibilityTimeoutSeconds: orJunk(fc.integer({ min: -5, max: 1200 })),
    timeout: orJunk(fc.integer({ min: -5, max: 300 })),
    runtime: some(["nodejs20.x", "nodejs22.x", "python3.9", "NODEJS18.X"]),
    environment: orJunk(partial({ variables: orJunk(fc.dictionary(variableName, fc.oneof(word, junk), { maxKeys: 4 })) })),
    containerDefinitions: asJson(fc.array(container, { maxLength: 3 })),
    settings: list(partial({ name: some(["containerInsights"]), value: some(["enabled", "enhanced", "disabled"]) })),
    ingress: list(ingressRule),
    type: some(["ingress", "egress"]),
    protocol: some(["tcp", "-1", "sqs", "lambda", "https"]),
    ipProtocol: some(["tcp", "-1", "udp"]),
    fromPort: orJunk(fc.integer({ min: -1, max: 65535 })),
    toPort: orJunk(fc.integer({ min: -1, max: 65535 })),
    cidrBlocks: list(some(["0.0.0.0/0", "10.1.2.3/32"])),
    cidrIpv4: some(["0.0.0.0/0", "10.0.0.0/16"]),
    cidrIpv6: some(["::/0"]),
    cidrBlock: some(["10.0.0.0/16"]),
    launchType: some(["FARGATE", "EC2", "fargate"]),
    capacityProviderStrategies: list(partial({ capacityProvider: some(["FARGATE", "FARGATE_SPOT", "EC2"]), weight: junk })),
    deploymentCircuitBreaker: orJunk(partial({ enable: some([true, false, "true"]), rollback: some([true, false]) })),
    forceDestroy: some([true, false, "true"]),
    forceDelete: some([true, false]),
    retentionInDays: orJunk(fc.integer({ min: -1, max: 4000 })),
    eventSourceArn: reference,
    functionName: reference,
    functionArn: reference,
    functionResponseTypes: list(some(["ReportBatchItemFailures"])),
    endpoint: reference,
    topic: reference,
    namespace: some(["AWS/SQS", "AWS/Lambda"]),
    metricName: some(["Errors", "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible"]),
    dimensions,
    metricQueries: list(partial({ id: word, metric: orJunk(metric) })),
    alarmActions: list(some(ARNS)),
    actionsEnabled: some([true, false]),
    inlinePolicies: list(partial({ name: word, policy: policyDocument })),
    assumeRolePolicy: policyDocument,
};

const props: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    { weight: 6, arbitrary: partial(PROPERTY_VALUES) },
    { weight: 1, arbitrary: fc.dictionary(key, junk, { maxKeys: 6 }) },
    { weight: 1, arbitrary: fc.object({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constant({}) },
);

/** Properties each type is judged on, drawn more often for it, so that stack graphs relate and policies get to judge. */
const FOCUS: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
    "aws:sns/topicSubscription:TopicSubscription": { protocol: some(["sqs", "sqs", "lambda"]), endpoint: reference, topic: reference },
    "aws:lambda/eventSourceMapping:EventSourceMapping": {
        eventSourceArn: reference,
        functionName: reference,
        functionResponseTypes: PROPERTY_VALUES.functionResponseTypes,
    },
    "aws:sqs/queue:Queue": { arn: reference, url: reference, name: reference, visibilityTimeoutSeconds: PROPERTY_VALUES.visibilityTimeoutSeconds },
    "aws:lambda/function:Function": { arn: reference, name: reference, timeout: PROPERTY_VALUES.timeout },
    "aws:sqs/queuePolicy:QueuePolicy": { queueUrl: reference, policy: policyDocument },
    "aws:sns/topicPolicy:TopicPolicy": { arn: reference, policy: policyDocument },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { namespace: PROPERTY_VALUES.namespace, metricName: PROPERTY_VALUES.metricName, dimensions, period: orJunk(fc.integer({ min: -1, max: 300 })) },
    // What the fixed-cost estimate reads (stack-fixed-cost-budget).
    "awsx:ec2:Vpc": {
        natGateways: orJunk(partial({ strategy: some(["None", "Single", "OnePerAz", "oneperaz"]), elasticIpAllocationIds: list(word) })),
        numberOfAvailabilityZones: orJunk(fc.integer({ min: -1, max: 6 })),
        availabilityZoneNames: list(word),
        subnetSpecs: list(partial({ type: some(["Public", "Private", "Isolated"]) })),
        vpcEndpointSpecs: list(partial({ vpcEndpointType: some(["Interface", "Gateway"]) })),
    },
    "aws:ecs/service:Service": {
        name: reference,
        cluster: reference,
        launchType: some(["FARGATE", "EC2", "fargate"]),
        desiredCount: orJunk(fc.integer({ min: -1, max: 10 })),
        taskDefinition: reference,
        networkConfiguration: orJunk(partial({ assignPublicIp: some([true, false, "true"]) })),
    },
    "aws:appautoscaling/target:Target": {
        serviceNamespace: some(["ecs", "dynamodb"]),
        scalableDimension: some(["ecs:service:DesiredCount"]),
        resourceId: fc.oneof(fc.constantFrom("service/c/q1", "service/c/f1", "service/x"), reference),
        minCapacity: orJunk(fc.integer({ min: -1, max: 5 })),
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        arn: reference,
        cpu: some(["256", "1 vCPU", 512, "x"]),
        memory: some(["512", "2 GB", 1024]),
        runtimePlatform: orJunk(partial({ cpuArchitecture: some(["X86_64", "ARM64"]), operatingSystemFamily: some(["LINUX", "WINDOWS_SERVER_2022_CORE"]) })),
    },
    "aws:dynamodb/table:Table": {
        billingMode: some(["PROVISIONED", "PAY_PER_REQUEST"]),
        readCapacity: orJunk(fc.integer({ min: -1, max: 100 })),
        writeCapacity: orJunk(fc.integer({ min: -1, max: 100 })),
        globalSecondaryIndexes: list(partial({ readCapacity: orJunk(fc.integer({ min: -1, max: 10 })), writeCapacity: junk })),
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        loadBalancerType: some(["application", "network", "gateway", "constructor"]),
        internal: some([true, false]),
        subnets: list(word),
        subnetMappings: list(partial({ allocationId: word })),
    },
    "aws:ec2/instance:Instance": { instanceType: some(["t3.micro", "x1.huge", "constructor"]), associatePublicIpAddress: some([true, false]) },
};

/** Props for a resource of `type`: arbitrary, with the properties its type is judged on more often. */
function propsOf(type: string): fc.Arbitrary<Record<string, unknown>> {
    const focus = FOCUS[type];
    return focus === undefined ? props : fc.tuple(props, fc.record(focus, { requiredKeys: [] })).map(([base, focused]) => ({ ...base, ...focused }));
}

const stack = fc.constantFrom("dev", "prod", "staging", "");
const parentTypes = fc.array(fc.constantFrom("awsx:ec2:Vpc", "event-pipeline:messaging:ConsumerQueue", "pulumi:pulumi:Stack"), { maxLength: 2 });
const urn = (type: string, name: string) =>
    fc.oneof(
        { weight: 4, arbitrary: fc.tuple(stack, parentTypes).map(([s, parents]) => urnOf(type, name, s, parents)) },
        { weight: 1, arbitrary: fc.oneof(word, fc.constant("urn:pulumi:")) },
    );
const provider = fc.option(
    fc.record({
        type: fc.constantFrom("pulumi:providers:aws", "pulumi:providers:random"),
        props: partial({ region: word, defaultTags: asJson(partial({ tags })) }),
    }),
);

/** A config value of the type its schema declares (the CLI validates config before it reaches the pack). */
function configFor(policy: ResourceValidationPolicy | StackValidationPolicy): fc.Arbitrary<Record<string, unknown>> {
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [property, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        const { type, items } = schema as { type?: string; items?: { type?: string } };
        if (type === "array") {
            const item: fc.Arbitrary<unknown> = items?.type === "string" ? word : fc.integer({ min: 0, max: 65535 });
            fields[property] = fc.array(item, { maxLength: 4 });
        } else if (type === "integer" || type === "number") {
            fields[property] = fc.integer({ min: 1, max: 5000 });
        }
    }
    return fc.oneof(fc.constant({}), fc.record(fields, { requiredKeys: [] }));
}

// ---------------------------------------------------------------------------------------------

function resourceFixture(types: readonly string[]): fc.Arbitrary<FixtureResource> {
    return fc.constantFrom(...types).chain((type) =>
        fc.record({
            type: fc.constant(type),
            name: fc.constantFrom("subject", "q1", "f1"),
            props: propsOf(type),
            urn: urn(type, "subject"),
            protect: fc.boolean(),
            provider: provider.map((p) => p ?? undefined),
        }),
    );
}

function stackFixtures(types: readonly string[]): fc.Arbitrary<FixtureResource[]> {
    const dependencyProperty = fc.constantFrom(...Object.keys(PROPERTY_VALUES));
    const resource = fc.constantFrom(...types).chain((type) =>
        fc.record({
            type: fc.constant(type),
            props: propsOf(type),
            protect: fc.boolean(),
            provider: provider.map((p) => p ?? undefined),
            parents: parentTypes,
            /** property → indexes (modulo the graph's size) of the resources its value came from. */
            dependencies: fc.array(fc.tuple(dependencyProperty, fc.array(fc.nat(), { maxLength: 3 })), { maxLength: 4 }),
        }),
    );
    // Half of the graphs hold no unknown at all: one unknown policy document may govern every queue,
    // which would leave the relating code unjudged most of the time.
    return fc.tuple(fc.array(resource, { maxLength: 8 }), fc.boolean()).map(([drawn, known]) =>
        drawn.map(({ type, props, protect, provider, parents, dependencies }, i) => {
            const name = `r${i}`;
            const propertyDependencies: Record<string, string[]> = {};
            for (const [property, targets] of dependencies) {
                propertyDependencies[property] = targets.map((t) => `r${t % drawn.length}`);
            }
            return { type, name, props: known ? withoutUnknowns(props) : props, protect, provider, urn: urnOf(type, name, "dev", parents), propertyDependencies };
        }),
    );
}

const UNKNOWN_STRINGS = new Set<unknown>([UNKNOWN, ...Object.values(UNKNOWN_SENTINELS)]);

/** `value` with every unknown sentinel, also inside JSON strings, replaced by a known string. */
function withoutUnknowns<T>(value: T): T {
    const known = (text: string) => [...UNKNOWN_STRINGS].reduce<string>((out, sentinel) => out.split(sentinel as string).join("known"), text);
    return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? known(v) : v)) ?? "null") as T;
}

const cantRun = (violations: Violation[]) => violations.filter((v) => /can't run/.test(v.message));

describe("every policy never throws on arbitrary props (fast-check)", function () {
    this.timeout(60_000);

    it("knows the resource types of every policy of policies/policies.ts, and of no other", () => {
        assert.deepEqual(Object.keys(POLICY_RESOURCE_TYPES).sort(), policies.map((p) => p.name).sort());
        for (const [name, types] of Object.entries(POLICY_RESOURCE_TYPES)) {
            assert.ok(types.length > 0, `${name} has no resource types`);
        }
    });

    for (const policy of policies) {
        const types = POLICY_RESOURCE_TYPES[policy.name] ?? [];
        if ("validateStack" in policy) {
            it(`${policy.name} (stack): arbitrary graphs of ${types.length} types`, async () => {
                await fc.assert(
                    fc.asyncProperty(stackFixtures(types), configFor(policy), async (fixtures, config) => {
                        const violations = await validateStack(policy, fixtures, { config });
                        assert.deepEqual(cantRun(violations), []);
                        const urns = new Set(fixtures.map((f) => f.urn));
                        for (const violation of violations) {
                            assert.equal(typeof violation.message, "string");
                            assert.ok(violation.message.trim() !== "");
                            assert.ok(violation.urn !== undefined && urns.has(violation.urn), `reported against ${violation.urn}, no resource of the stack`);
                        }
                    }),
                    { numRuns: STACK_RUNS },
                );
            });
        } else {
            it(`${policy.name} (resource): arbitrary props of ${types.length} types`, async () => {
                await fc.assert(
                    fc.asyncProperty(resourceFixture(types), configFor(policy), async (fixture, config) => {
                        const violations = await validateResource(policy, fixture, { config });
                        assert.deepEqual(cantRun(violations), []);
                        for (const violation of violations) {
                            assert.equal(typeof violation.message, "string");
                            assert.ok(violation.message.trim() !== "");
                        }
                    }),
                    { numRuns: RESOURCE_RUNS },
                );
            });
        }
    }

    describe("the property can fail", () => {
        const throwing: ResourceValidationPolicy = {
            name: "throws-on-a-string-timeout",
            description: "a policy with the bug this spec looks for",
            enforcementLevel: "mandatory",
            validateResource: (args) => {
                // Reads through the proxy (an unknown escapes) and trusts the type (a string throws).
                const timeout = args.props.timeout as unknown;
                if (typeof timeout === "string") {
                    throw new TypeError("timeout.toFixed is not a function");
                }
            },
        };

        it("finds a policy that throws on a value of the wrong type", async () => {
            await assert.rejects(
                fc.assert(
                    fc.asyncProperty(resourceFixture(["aws:lambda/function:Function"]), async (fixture) => {
                        await validateResource(throwing, fixture);
                    }),
                    { numRuns: RESOURCE_RUNS, seed: 1 },
                ),
                /Property failed[\s\S]*"timeout":""/,
            );
        });

        it("finds a policy that lets an UnknownValueError escape", async () => {
            const readsThroughProxy: ResourceValidationPolicy = {
                ...throwing,
                validateResource: (args) => {
                    void JSON.stringify(args.props.redrivePolicy);
                },
            };
            await assert.rejects(
                fc.assert(
                    fc.asyncProperty(resourceFixture(["aws:sqs/queue:Queue"]), async (fixture) => {
                        assert.deepEqual(cantRun(await validateResource(readsThroughProxy, fixture)), []);
                    }),
                    { numRuns: RESOURCE_RUNS, seed: 1 },
                ),
                new RegExp(`Property failed[\\s\\S]*"redrivePolicy":[\\s\\S]*${UNKNOWN}`),
            );
        });
    });
});
