import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentProblem, partAt } from "../components/argument-problems";
import { ConsumerQueue, ConsumerQueueArgs, filterKeyProblems, MAX_MESSAGE_AGE_SECONDS, queueSettingsProblems } from "../components/consumer-queue";
import { functionSettingsProblems, QueueFunction, QueueFunctionArgs } from "../components/queue-function";
import { FARGATE_MEMORY_BY_CPU, QueueWorkerService, QueueWorkerServiceArgs, workerSizingProblems } from "../components/queue-worker-service";
import { LOG_RETENTION_DAYS, logRetentionProblems } from "../components/log-retention";
import { ConfigError, loadConfig, parseStackConfig, PipelineConfig } from "../config";
import { THIS_PROJECT_ROOT as PROJECT_ROOT } from "../tools/project";
import { listStacks, readStackConfig } from "../tools/stack-files";
import * as YAML from "yaml";
import { assertRunError } from "./support/recorded";

const MINIMAL = { "event-pipeline:environment": "dev", "event-pipeline:owner": "platform-team" };

/** Config as Pulumi hands it to the program: every value text, objects and lists as JSON text. */
function raw(values: Record<string, unknown>, base: Record<string, string> = MINIMAL): Record<string, string> {
    const config: Record<string, string> = { ...base };
    for (const [key, value] of Object.entries(values)) {
        const fullKey = key.includes(":") ? key : `event-pipeline:${key}`;
        if (value === undefined) {
            delete config[fullKey];
        } else {
            config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return config;
}

function parse(values: Record<string, unknown>, stack = "dev"): PipelineConfig {
    return parseStackConfig(raw(values), stack);
}

/** The problems a rejected config reports (the error must be a ConfigError, a pulumi.RunError). */
function problemsOf(values: Record<string, unknown>): string[] {
    try {
        parse(values);
    } catch (e) {
        assert.ok(pulumi.RunError.isInstance(e), `expected a pulumi.RunError, got ${String(e)}`);
        assert.ok(e instanceof ConfigError);
        return e.problems;
    }
    assert.fail(`config was accepted: ${JSON.stringify(values)}`);
}

/**
 * Asserts that one rule reads alike in the loader and in the component: the problems the rule's
 * function returns, reported by the loader as `event-pipeline:<keyPrefix><key> = <value>: <problem>`
 * and by the component's validate as `<Component> orders: <argument> <value> <problem>; …`, where a
 * problem with one part of an argument names the part's path after the key (`filterPolicy.eventType`).
 */
function assertReadAlike(
    problems: ArgumentProblem<Record<string, unknown>>[],
    values: Record<string, unknown>,
    config: Record<string, unknown>,
    keyPrefix: string,
    component: string,
    validate: () => void,
): void {
    assert.ok(problems.length > 0, "the rule finds no problem in these values");
    const place = (key: string, within: readonly (string | number)[] = []) => key + within.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("");
    const shown = (key: string, within: readonly (string | number)[] = []) => JSON.stringify(partAt(values[key], within));
    assert.deepEqual(
        problemsOf(config),
        problems.map(([key, problem, within]) => `event-pipeline:${keyPrefix}${place(key, within)} = ${shown(key, within)}: ${problem}`),
    );
    assert.equal(
        assertRunError(validate),
        `${component} orders: ${problems.map(([key, problem, within]) => `${place(key, within)} ${shown(key, within)} ${problem}`).join("; ")}`,
    );
}

/** The arguments the program gives a component besides those from the config: any valid values. */
const QUEUE_ARGS: ConsumerQueueArgs = {
    topicArn: "arn:aws:sns:us-east-1:123456789012:events",
    filterPolicyScope: "MessageBody",
    maxReceiveCount: 5,
    maxMessageAgeSeconds: 300,
    visibilityTimeoutSeconds: 180,
    alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alarms",
    protect: false,
};
const FUNCTION_ARGS: QueueFunctionArgs = {
    queueArn: "arn:aws:sqs:us-east-1:123456789012:orders",
    code: new pulumi.asset.AssetArchive({}),
    handler: "index.handler",
    timeoutSeconds: 30,
    memoryMb: 256,
    batchSize: 10,
    batchingWindowSeconds: 0,
    maxConcurrency: 10,
    logRetentionDays: 14,
    environment: {},
    alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alarms",
};
const WORKER_ARGS: QueueWorkerServiceArgs = {
    queueArn: "arn:aws:sqs:us-east-1:123456789012:orders",
    queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
    queueName: "orders",
    image: "public.ecr.aws/x/worker:1",
    cpu: 256,
    memory: 512,
    minTasks: 0,
    maxTasks: 2,
    backlogPerTask: 100,
    vpcId: "vpc-1",
    subnetIds: ["subnet-1"],
    assignPublicIp: true,
    logRetentionDays: 14,
    environment: {},
    alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alarms",
    region: "us-east-1",
};

describe("config", () => {
    describe("valid configurations, with every default", () => {
        it("accepts a stack with only environment and owner, filling every default", () => {
            const config = parse({});
            assert.equal(config.environment, "dev");
            assert.equal(config.owner, "platform-team");
            assert.equal(config.stack, "dev");
            assert.equal(config.region, "us-east-1");
            assert.deepEqual(config.alarmEmails, []);
            assert.equal(config.logRetentionDays, 14);
            assert.equal(config.protect, false);
            assert.deepEqual(config.network, { natGateways: "none", availabilityZones: 2 });
        });

        it("defaults the consumers to one Lambda consumer with every consumer default", () => {
            assert.deepEqual(parse({}).consumers, [
                { name: "events", kind: "lambda", filterPolicyScope: "MessageBody", maxReceiveCount: 5, maxMessageAgeSeconds: 300 },
            ]);
        });

        it("fills every lambda default", () => {
            assert.deepEqual(parse({}).lambda, { timeoutSeconds: 30, memoryMb: 256, batchSize: 10, batchingWindowSeconds: 0, maxConcurrency: 10 });
        });

        it("fills every worker default, with no image until one is needed", () => {
            const worker = parse({}).worker;
            assert.deepEqual(worker, { build: false, cpu: 256, memory: 512, minTasks: 0, maxTasks: 2, backlogPerTask: 100 });
            // The default pair must itself be a valid Fargate size.
            assert.ok(FARGATE_MEMORY_BY_CPU[worker.cpu]!.includes(worker.memory));
        });

        it("fills a consumer's optional fields and keeps its filter policy as data", () => {
            const [consumer] = parse({ consumers: [{ name: "orders", kind: "ecs", filterPolicy: { type: ["order.created"] } }], worker: { build: true } }).consumers;
            assert.deepEqual(consumer, {
                name: "orders",
                kind: "ecs",
                filterPolicy: { type: ["order.created"] },
                filterPolicyScope: "MessageBody",
                maxReceiveCount: 5,
                maxMessageAgeSeconds: 300,
            });
        });

        it("keeps a filter policy attribute mapped to a nested object (MessageBody scope matches nested keys)", () => {
            const filterPolicy = { detail: { type: ["order.created"] }, source: ["shop"] };
            assert.deepEqual(parse({ consumers: [{ name: "orders", kind: "lambda", filterPolicy }] }).consumers[0]!.filterPolicy, filterPolicy);
        });

        it("keeps filter keys an event can match: CloudEvents attributes, extension names, any key inside data, any message attribute name", () => {
            const filterPolicy = { type: ["order.created"], orderchannel: ["web"], data: { orderId: ["42"], Customer: { Tier: ["gold"] } } };
            assert.deepEqual(parse({ consumers: [{ name: "orders", kind: "lambda", filterPolicy }] }).consumers[0]!.filterPolicy, filterPolicy);
            const byAttributes = { name: "orders", kind: "lambda", filterPolicy: { eventType: ["order.created"] }, filterPolicyScope: "MessageAttributes" };
            assert.deepEqual(parse({ consumers: [byAttributes] }).consumers[0]!.filterPolicy, { eventType: ["order.created"] });
        });

        it("merges a partial nested object over its defaults", () => {
            const config = parse({ lambda: { timeoutSeconds: 120 }, worker: { minTasks: 1 }, network: { availabilityZones: 3 } });
            assert.deepEqual(config.lambda, { timeoutSeconds: 120, memoryMb: 256, batchSize: 10, batchingWindowSeconds: 0, maxConcurrency: 10 });
            assert.equal(config.worker.minTasks, 1);
            assert.equal(config.worker.maxTasks, 2);
            assert.deepEqual(config.network, { natGateways: "none", availabilityZones: 3 });
        });

        it("protects and puts a NAT gateway in every AZ by default in prod only", () => {
            const prod = parse({ environment: "prod" }, "prod");
            assert.equal(prod.protect, true);
            assert.equal(prod.network.natGateways, "onePerAz");
            const test = parse({ environment: "test" }, "test");
            assert.equal(test.protect, false);
            assert.equal(test.network.natGateways, "none");
        });

        it("lets a stack choose its NAT strategy and unprotect prod explicitly", () => {
            const config = parse({ environment: "prod", network: { natGateways: "single" }, protect: false }, "prod");
            assert.equal(config.network.natGateways, "single");
            assert.equal(config.protect, false);
        });

        it("derives the four tags from environment and owner", () => {
            assert.deepEqual(parse({ environment: "test", owner: "payments" }).tags, {
                Project: "event-pipeline",
                Environment: "test",
                Owner: "payments",
                ManagedBy: "pulumi",
            });
        });

        it("reads YAML numbers and booleans, which Pulumi stores as text", () => {
            const config = parse({ logRetentionDays: "30", protect: "false", alarmEmails: '["ops@example.com"]' });
            assert.equal(config.logRetentionDays, 30);
            assert.equal(config.protect, false);
            assert.deepEqual(config.alarmEmails, ["ops@example.com"]);
        });

        it("takes the region from aws:region and ignores other namespaces' keys", () => {
            const config = parse({ "aws:region": "eu-central-1", "aws:profile": "sandbox", "other-project:anything": "1" });
            assert.equal(config.region, "eu-central-1");
        });

        it("accepts the boundary values the issue allows", () => {
            const config = parse({
                logRetentionDays: 3653,
                consumers: [
                    { name: "a", kind: "lambda", maxReceiveCount: 1 },
                    { name: "b2-c", kind: "ecs", maxReceiveCount: 1000 },
                ],
                lambda: { timeoutSeconds: 900, memoryMb: 10240, batchSize: 10000, batchingWindowSeconds: 1, maxConcurrency: 2 },
                worker: { image: "public.ecr.aws/x/worker:1", cpu: 16384, memory: 122880, minTasks: 0, maxTasks: 1000, backlogPerTask: 0.5 },
            });
            assert.equal(config.lambda.batchSize, 10000);
            assert.equal(config.worker.memory, 122880);
            assert.equal(config.consumers[1]!.maxReceiveCount, 1000);
        });

        it("accepts maxTasks equal to minTasks (a fixed number of tasks)", () => {
            assert.equal(parse({ worker: { minTasks: 3, maxTasks: 3 } }).worker.maxTasks, 3);
        });

        it("accepts every CloudWatch Logs retention value and every Fargate pair", () => {
            for (const days of LOG_RETENTION_DAYS) {
                assert.equal(parse({ logRetentionDays: days }).logRetentionDays, days);
            }
            for (const [cpu, memories] of Object.entries(FARGATE_MEMORY_BY_CPU)) {
                for (const memory of memories) {
                    assert.equal(parse({ worker: { cpu: Number(cpu), memory } }).worker.memory, memory);
                }
            }
        });

        // Pulumi hands every value over as text; JSON-parsing a string key would turn the owner
        // "1234" (a cost centre) into a number and reject it.
        it("accepts an owner written only in digits (owner must just be non-empty)", () => {
            assert.equal(parse({ owner: "1234" }).owner, "1234");
        });

        it("loadConfig reads the running stack's config", () => {
            pulumi.runtime.setAllConfig(raw({ environment: "test", owner: "loader" }));
            const config = loadConfig();
            assert.equal(config.environment, "test");
            assert.equal(config.owner, "loader");
        });
    });

    describe("the stack files", () => {
        const loaded = (stack: string) => parseStackConfig(readStackConfig(PROJECT_ROOT, stack).config, stack);

        it("parses Pulumi.dev.yaml to its values: disposable, scale to zero, no NAT, 14-day logs", () => {
            const dev = loaded("dev");
            assert.equal(dev.environment, "dev");
            assert.equal(dev.region, "us-east-1");
            assert.equal(dev.owner, "platform-team");
            assert.equal(dev.logRetentionDays, 14);
            assert.equal(dev.protect, false);
            assert.deepEqual(dev.alarmEmails, []);
            assert.deepEqual(dev.network, { natGateways: "none", availabilityZones: 2 });
            assert.deepEqual(dev.lambda, { timeoutSeconds: 30, memoryMb: 256, batchSize: 10, batchingWindowSeconds: 0, maxConcurrency: 5 });
            assert.deepEqual(dev.worker, { build: true, cpu: 256, memory: 512, minTasks: 0, maxTasks: 2, backlogPerTask: 50 });
            assert.deepEqual(dev.consumers, [
                { name: "order-audit", kind: "lambda", filterPolicyScope: "MessageBody", maxReceiveCount: 5, maxMessageAgeSeconds: 300 },
                {
                    name: "order-fulfilment",
                    kind: "ecs",
                    filterPolicy: { type: ["order.created", "order.paid"] },
                    filterPolicyScope: "MessageBody",
                    maxReceiveCount: 3,
                    maxMessageAgeSeconds: 600,
                },
            ]);
        });

        it("parses Pulumi.prod.yaml to its values: protected, NAT per AZ, ≥ 2 tasks, 90-day logs, on-call e-mails", () => {
            const prod = loaded("prod");
            assert.equal(prod.environment, "prod");
            assert.equal(prod.region, "eu-west-1");
            assert.equal(prod.logRetentionDays, 90);
            assert.equal(prod.protect, true);
            assert.deepEqual(prod.alarmEmails, ["oncall@example.com", "platform-alerts@example.com"]);
            assert.deepEqual(prod.network, { natGateways: "onePerAz", availabilityZones: 3 });
            assert.deepEqual(prod.lambda, { timeoutSeconds: 60, memoryMb: 512, batchSize: 50, batchingWindowSeconds: 5, maxConcurrency: 50 });
            assert.deepEqual(prod.worker, { build: true, cpu: 512, memory: 1024, minTasks: 2, maxTasks: 10, backlogPerTask: 100 });
            assert.deepEqual(
                prod.consumers.map((c) => [c.name, c.kind, c.maxReceiveCount, c.maxMessageAgeSeconds, c.filterPolicy]),
                [
                    ["order-audit", "lambda", 5, 300, undefined],
                    ["order-fulfilment", "ecs", 5, 300, { type: ["order.created", "order.paid"] }],
                    ["invoice-render", "lambda", 5, 900, { type: ["order.paid"] }],
                ],
            );
        });

        // The CLI refuses to run a stack that leaves a key declared in Pulumi.yaml without a
        // default unset ("Stack 'dev' is missing configuration value …", pulumi/pulumi#21797).
        it("sets, in every stack file, each key Pulumi.yaml declares without a default", () => {
            const project = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as { config?: Record<string, { default?: unknown }> };
            const required = Object.entries(project.config ?? {})
                .filter(([, declaration]) => declaration !== null && typeof declaration === "object" && !("default" in declaration))
                .map(([key]) => key);
            assert.ok(required.includes("event-pipeline:environment"));
            const missing = listStacks(PROJECT_ROOT).flatMap((stack) => {
                const stackFile = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
                return required.filter((key) => !(key in (stackFile.config ?? {}))).map((key) => `${stack}: ${key}`);
            });
            assert.deepEqual(missing, []);
        });

        // Only environment and owner may be required: every other key has a default, so a stack
        // file with those two keys must pass the CLI as it passes parseStackConfig. (protect's
        // default depends on the environment, which Pulumi.yaml cannot express.)
        it("declares no key in Pulumi.yaml without a default besides environment and owner", () => {
            const project = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as { config?: Record<string, unknown> };
            const required = Object.entries(project.config ?? {})
                .filter(([, declaration]) => declaration !== null && typeof declaration === "object" && !("default" in declaration))
                .map(([key]) => key);
            assert.deepEqual(required.sort(), ["event-pipeline:environment", "event-pipeline:owner"]);
        });

        it("gives every stack file a valid config with a consumer of each kind", () => {
            const stacks = listStacks(PROJECT_ROOT);
            assert.ok(stacks.includes("dev") && stacks.includes("prod"), `stacks: ${stacks.join(", ")}`);
            for (const stack of stacks) {
                const kinds = new Set(loaded(stack).consumers.map((c) => c.kind));
                assert.deepEqual([...kinds].sort(), ["ecs", "lambda"], `${stack} consumers`);
            }
        });
    });

    describe("invalid configurations", () => {
        // Each case: the config, the key path the message must name, and what it must say is allowed.
        const cases: { title: string; values: Record<string, unknown>; path: string; says?: RegExp }[] = [
            { title: "environment missing", values: { environment: undefined }, path: "environment = (not set)", says: /"dev", "test" or "prod"/ },
            { title: "environment not dev/test/prod", values: { environment: "staging" }, path: 'environment = "staging"', says: /"dev", "test" or "prod"/ },
            { title: "owner missing", values: { owner: undefined }, path: "owner = (not set)", says: /Owner tag/ },
            { title: "owner blank", values: { owner: "   " }, path: "owner", says: /must not be empty/ },
            { title: "alarm e-mail malformed", values: { alarmEmails: ["oncall@example.com", "not-an-address"] }, path: 'alarmEmails[1] = "not-an-address"', says: /e-mail address/ },
            { title: "alarmEmails not a list", values: { alarmEmails: { to: "oncall@example.com" } }, path: "alarmEmails", says: /list of e-mail addresses/ },
            { title: "log retention CloudWatch does not accept", values: { logRetentionDays: 15 }, path: "logRetentionDays = 15", says: /1, 3, 5, 7, 14, 30.*3653/ },
            { title: "log retention not a number", values: { logRetentionDays: "forever" }, path: 'logRetentionDays = "forever"', says: /retention values/ },
            { title: "consumer name not kebab-case", values: { consumers: [{ name: "Order_Audit", kind: "lambda" }] }, path: 'consumers[0].name = "Order_Audit"', says: /kebab-case/ },
            { title: "consumer name with a trailing hyphen", values: { consumers: [{ name: "orders-", kind: "lambda" }] }, path: "consumers[0].name", says: /kebab-case/ },
            { title: "consumer name too long", values: { consumers: [{ name: "a".repeat(41), kind: "lambda" }] }, path: "consumers[0].name", says: /at most 40/ },
            {
                title: "consumer names not unique",
                values: { consumers: [{ name: "orders", kind: "lambda" }, { name: "orders", kind: "lambda" }] },
                path: 'consumers[1].name = "orders"',
                says: /unique/,
            },
            { title: "consumer kind unknown", values: { consumers: [{ name: "orders", kind: "sqs" }] }, path: 'consumers[0].kind = "sqs"', says: /"lambda".*"ecs"/ },
            { title: "consumer kind missing", values: { consumers: [{ name: "orders" }] }, path: "consumers[0].kind = (not set)", says: /"lambda".*"ecs"/ },
            { title: "no consumers", values: { consumers: [] }, path: "consumers = []", says: /at least one consumer/ },
            { title: "maxReceiveCount 0", values: { consumers: [{ name: "orders", kind: "lambda", maxReceiveCount: 0 }] }, path: "consumers[0].maxReceiveCount = 0", says: /1 to 1000/ },
            { title: "maxReceiveCount above 1000", values: { consumers: [{ name: "orders", kind: "lambda", maxReceiveCount: 1001 }] }, path: "consumers[0].maxReceiveCount = 1001", says: /1 to 1000/ },
            { title: "maxReceiveCount fractional", values: { consumers: [{ name: "orders", kind: "lambda", maxReceiveCount: 2.5 }] }, path: "consumers[0].maxReceiveCount = 2.5", says: /whole number/ },
            { title: "maxMessageAgeSeconds below a minute", values: { consumers: [{ name: "orders", kind: "lambda", maxMessageAgeSeconds: 10 }] }, path: "consumers[0].maxMessageAgeSeconds = 10" },
            {
                title: "maxMessageAgeSeconds no message lives long enough to reach",
                values: { consumers: [{ name: "orders", kind: "lambda", maxMessageAgeSeconds: 345_481 }] },
                path: "consumers[0].maxMessageAgeSeconds = 345481",
                says: /from 60 to 345480: .*deletes a message at 345600 s/,
            },
            { title: "maxMessageAgeSeconds as text", values: { consumers: [{ name: "orders", kind: "lambda", maxMessageAgeSeconds: "5m" }] }, path: 'consumers[0].maxMessageAgeSeconds = "5m"', says: /number of seconds/ },
            { title: "filterPolicy a string", values: { consumers: [{ name: "orders", kind: "lambda", filterPolicy: "type=order.created" }] }, path: "consumers[0].filterPolicy", says: /YAML object/ },
            { title: "filterPolicy empty", values: { consumers: [{ name: "orders", kind: "lambda", filterPolicy: {} }] }, path: "consumers[0].filterPolicy = {}", says: /at least one attribute/ },
            { title: "filterPolicy with a scalar value", values: { consumers: [{ name: "orders", kind: "lambda", filterPolicy: { type: "order.created" } }] }, path: "consumers[0].filterPolicy", says: /list of values/ },
            { title: "filterPolicy with an attribute without a name", values: { consumers: [{ name: "orders", kind: "lambda", filterPolicy: { "": ["x"] } }] }, path: "consumers[0].filterPolicy", says: /empty name/ },
            { title: "filterPolicy a list", values: { consumers: [{ name: "orders", kind: "lambda", filterPolicy: [{ type: ["x"] }] }] }, path: "consumers[0].filterPolicy", says: /YAML object/ },
            { title: "filterPolicyScope unknown", values: { consumers: [{ name: "orders", kind: "lambda", filterPolicyScope: "Body" }] }, path: 'consumers[0].filterPolicyScope = "Body"', says: /= "Body": must be "MessageBody" or "MessageAttributes"$/ },
            {
                title: "filterPolicy key no CloudEvent attribute matches",
                values: { consumers: [{ name: "orders", kind: "lambda", filterPolicy: { eventType: ["order.created"] } }] },
                path: 'consumers[0].filterPolicy.eventType = ["order.created"]',
                says: /: matches no event: .*Did you mean "type"\?/,
            },
            { title: "filterPolicy with a null value", values: { consumers: [{ name: "orders", kind: "lambda", filterPolicy: { type: null } }] }, path: 'consumers[0].filterPolicy = {"type":null}', says: /list of values or a nested object/ },
            { title: "lambda timeout 0", values: { lambda: { timeoutSeconds: 0 } }, path: "lambda.timeoutSeconds = 0", says: /1 to 900/ },
            { title: "lambda timeout above 15 minutes", values: { lambda: { timeoutSeconds: 901 } }, path: "lambda.timeoutSeconds = 901", says: /1 to 900/ },
            { title: "lambda memory below 128", values: { lambda: { memoryMb: 64 } }, path: "lambda.memoryMb = 64", says: /128 to 10240/ },
            { title: "lambda memory above 10240", values: { lambda: { memoryMb: 10241 } }, path: "lambda.memoryMb = 10241", says: /128 to 10240/ },
            { title: "lambda batch size 0", values: { lambda: { batchSize: 0 } }, path: "lambda.batchSize = 0", says: /1 to 10000/ },
            { title: "lambda batch size above 10000", values: { lambda: { batchSize: 10001, batchingWindowSeconds: 5 } }, path: "lambda.batchSize = 10001", says: /1 to 10000/ },
            { title: "lambda batch size above 10 without a window", values: { lambda: { batchSize: 100 } }, path: "lambda.batchingWindowSeconds", says: /at least 1 when batchSize is above 10/ },
            { title: "lambda timeout as text with a unit", values: { lambda: { timeoutSeconds: "30s" } }, path: 'lambda.timeoutSeconds = "30s"', says: /number of seconds/ },
            { title: "lambda not an object", values: { lambda: 30 }, path: "lambda = 30" },
            { title: "lambda null", values: { lambda: null }, path: "lambda = null" },
            { title: "lambda a list", values: { lambda: [{ timeoutSeconds: 30 }] }, path: "lambda = [" },
            { title: "lambda max concurrency 1", values: { lambda: { maxConcurrency: 1 } }, path: "lambda.maxConcurrency = 1", says: /2 to 1000/ },
            { title: "lambda max concurrency above 1000", values: { lambda: { maxConcurrency: 1001 } }, path: "lambda.maxConcurrency = 1001", says: /2 to 1000/ },
            { title: "worker cpu not a Fargate size", values: { worker: { cpu: 300 } }, path: "worker.cpu = 300", says: /256, 512, 1024/ },
            { title: "worker memory not a Fargate pair with its cpu", values: { worker: { cpu: 256, memory: 4096 } }, path: "worker.memory = 4096", says: /512, 1024, 2048/ },
            { title: "worker memory as text with a unit", values: { worker: { memory: "512MiB" } }, path: 'worker.memory = "512MiB"' },
            { title: "worker minTasks negative", values: { worker: { minTasks: -1 } }, path: "worker.minTasks = -1" },
            { title: "worker maxTasks below minTasks", values: { worker: { minTasks: 3, maxTasks: 2 } }, path: "worker.maxTasks = 2", says: /at least minTasks \(3\)/ },
            { title: "worker maxTasks above 1000", values: { worker: { maxTasks: 1001 } }, path: "worker.maxTasks = 1001", says: /1 to 1000/ },
            { title: "worker backlogPerTask 0", values: { worker: { backlogPerTask: 0 } }, path: "worker.backlogPerTask = 0", says: /above 0/ },
            {
                title: "an ecs consumer without worker image or build",
                values: { consumers: [{ name: "orders", kind: "ecs" }] },
                path: "worker.image = (not set)",
                says: /worker\.build: true/,
            },
            { title: "worker image and build together", values: { worker: { image: "repo/worker:1", build: true } }, path: "worker.build = true", says: /not both/ },
            { title: "NAT strategy unknown", values: { network: { natGateways: "two" } }, path: 'network.natGateways = "two"', says: /"none".*"onePerAz"/ },
            { title: "one availability zone", values: { network: { availabilityZones: 1 } }, path: "network.availabilityZones = 1", says: /2 to 6/ },
            { title: "protect outside prod", values: { protect: true }, path: "protect = true", says: /outside prod/ },
            { title: "protect not a boolean", values: { protect: "yes" }, path: 'protect = "yes"', says: /true or false/ },
            { title: "unknown top-level key (typo)", values: { logRetentionDay: 14 }, path: "logRetentionDay: unknown key", says: /allowed here: .*logRetentionDays/ },
            { title: "unknown lambda key (typo)", values: { lambda: { timeoutSecond: 30 } }, path: "lambda.timeoutSecond: unknown key", says: /allowed here: timeoutSeconds, memoryMb/ },
            { title: "unknown worker key (typo)", values: { worker: { images: "repo/worker:1" } }, path: "worker.images: unknown key", says: /allowed here: image, build/ },
            {
                title: "unknown consumer key (typo)",
                values: { consumers: [{ name: "orders", kind: "lambda", maxRecieveCount: 3 }] },
                path: "consumers[0].maxRecieveCount: unknown key",
                says: /maxReceiveCount/,
            },
            { title: "unknown network key (typo)", values: { network: { natGateway: "none" } }, path: "network.natGateway: unknown key", says: /natGateways/ },
        ];

        for (const c of cases) {
            it(`rejects ${c.title}, naming ${c.path.split(/[ :=]/)[0]}`, () => {
                const problems = problemsOf(c.values);
                assert.equal(problems.length, 1, `expected one problem, got:\n${problems.join("\n")}`);
                const [problem] = problems;
                assert.ok(problem!.startsWith(`event-pipeline:${c.path}`), `"${problem}" does not start with event-pipeline:${c.path}`);
                if (c.says) {
                    assert.match(problem!, c.says);
                }
            });
        }

        it("words the worker's size and scaling problems as the worker service's own check does", () => {
            const worker = { cpu: 256, memory: 4096, minTasks: 3, maxTasks: 2 };
            const expected = workerSizingProblems({ ...worker, backlogPerTask: 100 }).map(
                ([key, message]) => `event-pipeline:worker.${key} = ${JSON.stringify(worker[key as keyof typeof worker])}: ${message}`,
            );
            assert.equal(expected.length, 2);
            assert.deepEqual(problemsOf({ worker }), expected);
            const problems = workerSizingProblems({ ...worker, backlogPerTask: 100 });
            assertReadAlike(problems, worker, { worker }, "worker.", "QueueWorkerService", () => QueueWorkerService.validate("orders", { ...WORKER_ARGS, ...worker }));
        });

        it("words the function's settings problems as the function's own check does", () => {
            const lambda = { timeoutSeconds: 0, memoryMb: 64, batchSize: 50, batchingWindowSeconds: 0, maxConcurrency: 1 };
            const problems = functionSettingsProblems(lambda);
            assert.deepEqual(
                problems.map(([key]) => key),
                ["timeoutSeconds", "memoryMb", "maxConcurrency", "batchingWindowSeconds"],
            );
            assertReadAlike(problems, lambda, { lambda }, "lambda.", "QueueFunction", () => QueueFunction.validate("orders", { ...FUNCTION_ARGS, ...lambda }));
        });

        it("words a consumer's queue settings problems as the queue's own check does", () => {
            const consumer = { filterPolicy: { type: "order.created" }, maxReceiveCount: 0, maxMessageAgeSeconds: MAX_MESSAGE_AGE_SECONDS + 1 };
            const problems = queueSettingsProblems(consumer);
            assert.deepEqual(
                problems.map(([key]) => key),
                ["filterPolicy", "maxReceiveCount", "maxMessageAgeSeconds"],
            );
            assertReadAlike(
                problems,
                consumer,
                { consumers: [{ name: "orders", kind: "lambda", ...consumer }] },
                "consumers[0].",
                "ConsumerQueue",
                () => ConsumerQueue.validate("orders", { ...QUEUE_ARGS, ...consumer }),
            );
        });

        it("words a filter key no event can match as the queue's own check does, on the key's path in the filter policy", () => {
            const consumer = { filterPolicy: { eventType: ["order.created"], $or: [{ Source: ["/orders"] }, { subject: ["x"] }] }, filterPolicyScope: "MessageBody" as const };
            const problems = filterKeyProblems(consumer);
            assert.deepEqual(
                problems.map(([key, , within]) => [key, within]),
                [
                    ["filterPolicy", ["eventType"]],
                    ["filterPolicy", ["$or", 0, "Source"]],
                ],
            );
            assertReadAlike(
                problems,
                consumer,
                { consumers: [{ name: "orders", kind: "lambda", ...consumer }] },
                "consumers[0].",
                "ConsumerQueue",
                () => ConsumerQueue.validate("orders", { ...QUEUE_ARGS, ...consumer }),
            );
        });

        it("words a log retention CloudWatch Logs does not accept as both components that create log groups do", () => {
            const retention = { logRetentionDays: 15 };
            const problems = logRetentionProblems(retention);
            assert.deepEqual(
                problems.map(([key]) => key),
                ["logRetentionDays"],
            );
            assertReadAlike(problems, retention, retention, "", "QueueFunction", () => QueueFunction.validate("orders", { ...FUNCTION_ARGS, ...retention }));
            assertReadAlike(problems, retention, retention, "", "QueueWorkerService", () => QueueWorkerService.validate("orders", { ...WORKER_ARGS, ...retention }));
        });

        it("reports a component's rule on the keys that parsed beside a key of the same object that did not", () => {
            assert.deepEqual(problemsOf({ consumers: [{ name: 7, kind: "lambda", maxReceiveCount: 0 }] }), [
                "event-pipeline:consumers[0].name = 7: must be a kebab-case name such as order-audit",
                "event-pipeline:consumers[0].maxReceiveCount = 0: must be a whole number from 1 to 1000",
            ]);
            assert.deepEqual(problemsOf({ worker: { build: "yes", cpu: 300 } }), [
                'event-pipeline:worker.build = "yes": must be true (build consumers/worker/Dockerfile and push it to ECR) or false',
                "event-pipeline:worker.cpu = 300: must be a Fargate CPU size in units: 256, 512, 1024, 2048, 4096, 8192 or 16384",
            ]);
        });

        it("rejects an aws:region that is not a region, naming aws:region", () => {
            const problems = problemsOf({ "aws:region": "mars-1" });
            assert.deepEqual(problems, ['aws:region = "mars-1": must be an AWS region such as us-east-1']);
        });

        it("collects every problem into one error that lists each key path", () => {
            const problems = problemsOf({
                "aws:region": "nowhere",
                environment: "staging",
                owner: "",
                logRetentionDays: 15,
                consumers: [{ name: "Bad", kind: "sqs" }],
                lambda: { timeoutSeconds: 0 },
                worker: { cpu: 256, memory: 4096 },
                network: { natGateways: "two" },
                typo: 1,
            });
            const paths = problems.map((p) => p.split(/ = |: /)[0]);
            assert.deepEqual(paths.sort(), [
                "aws:region",
                "event-pipeline:consumers[0].kind",
                "event-pipeline:consumers[0].name",
                "event-pipeline:environment",
                "event-pipeline:lambda.timeoutSeconds",
                "event-pipeline:logRetentionDays",
                "event-pipeline:network.natGateways",
                "event-pipeline:owner",
                "event-pipeline:typo",
                "event-pipeline:worker.memory",
            ]);
        });

        it("throws a pulumi.RunError whose message is the whole list, so the CLI prints it without a stack trace", () => {
            const message = assertRunError(
                () => parse({ environment: "staging", logRetentionDays: 15 }),
                /^Invalid stack config \(2 problems\):/,
                /\n {2}- event-pipeline:environment = "staging": /,
                /\n {2}- event-pipeline:logRetentionDays = 15: /,
                /Pulumi\.<stack>\.yaml/,
            );
            assert.doesNotMatch(message, /\bat .*\.ts:\d+/);
        });

        it("counts one problem in the singular, and is named ConfigError", () => {
            try {
                parse({ logRetentionDays: "15" });
                assert.fail("accepted");
            } catch (e) {
                assert.ok(e instanceof ConfigError);
                assert.equal(e.name, "ConfigError");
                assert.match(e.message, /^Invalid stack config \(1 problem\):\n {2}- event-pipeline:logRetentionDays = 15: /);
            }
        });
    });
});
