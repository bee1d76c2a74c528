/**
 * The stack config: read and validated here, once, before any resource is registered.
 *
 * Every problem is collected into one `ConfigError` that names each key path, the value found and
 * what is allowed; a key in the `event-pipeline:` namespace that the schema does not know is an
 * error too (a typo would otherwise be silently ignored). Components never read `pulumi.Config`:
 * they get the typed values this module returns.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ArgumentProblem, partAt, wholeNumberFromTo } from "./components/argument-problems";
import { FILTER_POLICY_SCOPES, FILTER_SETTINGS, filterKeyProblems, QUEUE_SETTINGS, queueSettingsProblems } from "./components/consumer-queue";
import { LOG_RETENTION, logRetentionProblems } from "./components/log-retention";
import { NAT_STRATEGIES, type NatStrategy } from "./components/network";
import { FUNCTION_SETTINGS, functionSettingsProblems } from "./components/queue-function";
import { WORKER_SIZING, workerSizingProblems } from "./components/queue-worker-service";

export const CONFIG_NAMESPACE = "event-pipeline";

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d$/;

function intIn(min: number, max: number) {
    const error = wholeNumberFromTo(min, max);
    return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/**
 * A component's rule on one config object: each problem it finds becomes an issue on the key of the
 * argument's name (or on the part of it the problem names), in the component's words. It runs once
 * the keys it reads have parsed, even when another key of the object has not, so that every problem
 * is listed at once.
 */
function componentRule<Settings>(reads: readonly (keyof Settings & string)[], problemsOf: (settings: Settings) => ArgumentProblem<Settings>[]) {
    return z.superRefine<Settings>(
        (settings, ctx) => {
            for (const [key, message, within = []] of problemsOf(settings)) {
                ctx.addIssue({ code: "custom", path: [key, ...within], input: partAt(settings[key], within), message });
            }
        },
        { when: ({ value, issues }) => isObject(value) && !issues.some((issue) => reads.some((key) => key === issue.path?.[0])) },
    );
}

function isObject(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

// The filter policy's shape, maxReceiveCount's range and maxMessageAgeSeconds' are the queue's own
// (queueSettingsProblems), keyed by argument; so are the filter keys no event can match
// (filterKeyProblems), keyed by their path in the filter policy.
const consumerSchema = z
    .strictObject({
        name: z
            .string({ error: "must be a kebab-case name such as order-audit" })
            .max(40, { error: "must be at most 40 characters (queue and function names are derived from it)" })
            .regex(KEBAB_CASE, { error: "must be kebab-case: lowercase letters and digits separated by single hyphens, starting with a letter" }),
        kind: z.enum(["lambda", "ecs"], { error: 'must be "lambda" (Lambda function) or "ecs" (ECS Fargate worker)' }),
        filterPolicy: z
            .record(z.string(), z.unknown(), { error: "must be an SNS filter policy written as a YAML object, e.g. { type: [order.created] }" })
            .optional(),
        filterPolicyScope: z
            .enum(FILTER_POLICY_SCOPES, { error: `must be ${FILTER_POLICY_SCOPES.map((scope) => `"${scope}"`).join(" or ")}` })
            .default("MessageBody"),
        maxReceiveCount: z.number({ error: "must be a number of receives, such as 5" }).default(5),
        maxMessageAgeSeconds: z.number({ error: "must be a number of seconds, such as 300" }).default(300),
    })
    .check(componentRule(QUEUE_SETTINGS, queueSettingsProblems))
    .check(componentRule(FILTER_SETTINGS, filterKeyProblems));

// The ranges and the batch rule are the function's own (functionSettingsProblems), keyed by argument.
const lambdaSchema = z
    .strictObject({
        timeoutSeconds: z.number({ error: "must be a number of seconds, such as 30" }).default(30),
        memoryMb: z.number({ error: "must be a number of MB, such as 256" }).default(256),
        batchSize: z.number({ error: "must be a number of records, such as 10" }).default(10),
        batchingWindowSeconds: z.number({ error: "must be a number of seconds, such as 5" }).default(0),
        maxConcurrency: z.number({ error: "must be a number of concurrent invocations, such as 10" }).default(10),
    })
    .check(componentRule(FUNCTION_SETTINGS, functionSettingsProblems));

const workerSchema = z
    .strictObject({
        image: z.string().min(1, { error: "must be a container image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.2.0" }).optional(),
        build: z.boolean({ error: "must be true (build consumers/worker/Dockerfile and push it to ECR) or false" }).default(false),
        cpu: z.number({ error: "must be a number of CPU units, such as 256" }).default(256),
        memory: z.number({ error: "must be a number of MiB, such as 512" }).default(512),
        minTasks: z.number({ error: "must be a number of tasks" }).default(0),
        maxTasks: z.number({ error: "must be a number of tasks" }).default(2),
        backlogPerTask: z.number({ error: "must be a number of messages (one task's share of the backlog)" }).default(100),
    })
    .check(componentRule(WORKER_SIZING, workerSizingProblems))
    .superRefine((worker, ctx) => {
        if (worker.image !== undefined && worker.build) {
            ctx.addIssue({ code: "custom", path: ["build"], input: worker.build, message: "set either worker.image or worker.build: true, not both" });
        }
    });

const networkSchema = z.strictObject({
    natGateways: z.enum(NAT_STRATEGIES, { error: 'must be "none" (public subnets only, no idle NAT cost), "single" or "onePerAz"' }).optional(),
    availabilityZones: intIn(2, 6).default(2),
});

/** The schema of the `event-pipeline:` keys (exported for the README's config reference spec, which walks it). */
export const stackConfigSchema = z
    .strictObject({
        environment: z.enum(["dev", "test", "prod"], { error: 'is required and must be "dev", "test" or "prod"' }),
        owner: z.string({ error: "is required: the team or person who owns this stack (becomes the Owner tag)" }).trim().min(1, { error: "must not be empty" }),
        alarmEmails: z.array(z.email({ error: "must be an e-mail address" }), { error: "must be a list of e-mail addresses" }).default([]),
        // Which numbers are retention values is the log groups' rule (logRetentionProblems), checked below.
        logRetentionDays: z.number({ error: "must be a number of days: one of CloudWatch Logs' retention values, such as 14" }).default(14),
        consumers: z
            .array(consumerSchema, { error: "must be a list of { name, kind, filterPolicy?, maxReceiveCount?, maxMessageAgeSeconds? }" })
            .min(1, { error: "must list at least one consumer" })
            // Parsed like a configured list, so the consumer gets every field's own default.
            .prefault([{ name: "events", kind: "lambda" }]),
        lambda: lambdaSchema.prefault({}),
        worker: workerSchema.prefault({}),
        network: networkSchema.prefault({}),
        protect: z.boolean({ error: "must be true or false" }).optional(),
    })
    .check(componentRule(LOG_RETENTION, logRetentionProblems))
    .superRefine((stack, ctx) => {
        const seen = new Set<string>();
        stack.consumers.forEach((consumer, index) => {
            if (seen.has(consumer.name)) {
                ctx.addIssue({ code: "custom", path: ["consumers", index, "name"], input: consumer.name, message: "must be unique among the consumers" });
            }
            seen.add(consumer.name);
        });
        if (stack.protect === true && stack.environment !== "prod") {
            ctx.addIssue({
                code: "custom",
                path: ["protect"],
                input: stack.protect,
                message: `must be false outside prod (environment is ${stack.environment}): dev and test resources are disposable`,
            });
        }
        const hasWorkers = stack.consumers.some((c) => c.kind === "ecs");
        if (hasWorkers && stack.worker.image === undefined && !stack.worker.build) {
            ctx.addIssue({
                code: "custom",
                path: ["worker", "image"],
                input: undefined,
                message: 'is required when a consumer has kind "ecs": set worker.image, or worker.build: true to build consumers/worker/Dockerfile',
            });
        }
    });

/** What the schema returns: the keys as set or defaulted, before the loader derives the rest. */
type ParsedStackConfig = z.output<typeof stackConfigSchema>;
export type ConsumerConfig = z.output<typeof consumerSchema>;
export type LambdaConfig = z.output<typeof lambdaSchema>;
export type WorkerConfig = z.output<typeof workerSchema>;
export type Environment = ParsedStackConfig["environment"];

/** The validated stack config, with every default applied. */
export interface PipelineConfig extends Omit<ParsedStackConfig, "network" | "protect"> {
    stack: string;
    region: string;
    network: { natGateways: NatStrategy; availabilityZones: number };
    protect: boolean;
    tags: Record<string, string>;
}

/**
 * Invalid stack config. A `pulumi.RunError`, so the CLI prints the message alone — no stack
 * trace and no program source — and `pulumi up` stops before anything is created.
 */
export class ConfigError extends pulumi.RunError {
    constructor(public readonly problems: string[]) {
        super(
            `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n") +
                "\nFix them in Pulumi.<stack>.yaml or with `pulumi config set`; the README's config reference lists every key.",
        );
        this.name = "ConfigError";
    }
}

/**
 * Validates the stack config. `raw` maps full keys (`event-pipeline:owner`, `aws:region`) to their
 * values as Pulumi stores them: strings, with objects and lists as JSON text.
 */
export function parseStackConfig(raw: Record<string, string>, stack: string): PipelineConfig {
    const entries: [string, unknown][] = [];
    for (const [fullKey, text] of Object.entries(raw)) {
        const separator = fullKey.indexOf(":");
        if (fullKey.slice(0, separator) === CONFIG_NAMESPACE) {
            const key = fullKey.slice(separator + 1);
            entries.push([key, TEXT_KEYS.has(key) ? text : parseConfigValue(text)]);
        }
    }
    // Defined, not assigned: `values["__proto__"] = …` would swap the object's prototype, and the
    // schema would then judge the keys of that value (`event-pipeline:__proto__` is an unknown key).
    const values: Record<string, unknown> = Object.fromEntries(entries);
    const result = stackConfigSchema.safeParse(values);
    const regionText = raw["aws:region"];
    const problems: string[] = [];
    if (regionText !== undefined && !AWS_REGION.test(regionText)) {
        problems.push(`aws:region = ${JSON.stringify(regionText)}: must be an AWS region such as us-east-1`);
    }
    if (!result.success) {
        problems.push(...result.error.issues.flatMap((issue) => describeIssue(issue, values)));
    }
    if (problems.length > 0 || !result.success) {
        throw new ConfigError(problems);
    }
    const config = result.data;
    const natGateways: NatStrategy = config.network.natGateways ?? (config.environment === "prod" ? "onePerAz" : "none");
    return {
        ...config,
        stack,
        region: regionText ?? "us-east-1",
        network: { natGateways, availabilityZones: config.network.availabilityZones },
        protect: config.protect ?? config.environment === "prod",
        tags: { Project: "event-pipeline", Environment: config.environment, Owner: config.owner, ManagedBy: "pulumi" },
    };
}

/** Reads and validates the running stack's config. */
export function loadConfig(): PipelineConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());
}

/** Keys whose values are text even when they look like numbers (an owner "1234" stays "1234"). */
const TEXT_KEYS: ReadonlySet<string> = new Set(["environment", "owner"]);

/** Pulumi keeps scalars as text and objects/lists as JSON text; YAML numbers and booleans arrive as "14"/"true". */
function parseConfigValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function describeIssue(issue: z.core.$ZodIssue, values: Record<string, unknown>): string[] {
    if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => {
            const path = [...issue.path, key];
            return `${keyPath(path)}: unknown key (is it a typo?); allowed here: ${describeList(knownKeys(issue.path))}`;
        });
    }
    const value = valueAt(values, issue.path);
    const shown = value === undefined ? "(not set)" : JSON.stringify(value);
    return [`${keyPath(issue.path)} = ${shown}: ${issue.message}`];
}

function keyPath(path: PropertyKey[]): string {
    let text = CONFIG_NAMESPACE;
    path.forEach((segment, i) => {
        text += typeof segment === "number" ? `[${segment}]` : `${i === 0 ? ":" : "."}${String(segment)}`;
    });
    return text;
}

function valueAt(values: Record<string, unknown>, path: PropertyKey[]): unknown {
    // A path may run through a key that is not set (its object was defaulted): that value is unset too.
    return path.reduce<unknown>((current, segment) => (current as Record<PropertyKey, unknown> | undefined)?.[segment], values);
}

/** The strict objects below the top, by key: with the top, the only places an unknown key can be. */
const NESTED_OBJECT_SCHEMAS = { consumers: consumerSchema, lambda: lambdaSchema, worker: workerSchema, network: networkSchema };

function knownKeys(path: PropertyKey[]): string[] {
    const schema = path.length === 0 ? stackConfigSchema : NESTED_OBJECT_SCHEMAS[path[0] as keyof typeof NESTED_OBJECT_SCHEMAS];
    return Object.keys(schema.shape);
}

function describeList(values: readonly (string | number)[]): string {
    return values.join(", ");
}
