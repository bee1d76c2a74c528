/**
 * Properties of the config loader (issue 8): whatever Pulumi hands the program — any key in the
 * `event-pipeline:` namespace, any text as its value (JSON of anything, near-valid shapes with
 * holes, text that is not JSON at all), any `aws:region` — `parseStackConfig` either returns a
 * config or throws its own `ConfigError`, each of whose problems names the key it is about. Never
 * a TypeError, never a zod error, never a problem that leaves the reader guessing which key to fix.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, ConfigError, parseStackConfig, PipelineConfig } from "../config";

const SCHEMA_KEYS = ["environment", "owner", "alarmEmails", "logRetentionDays", "consumers", "lambda", "worker", "network", "protect"];
const NESTED_KEYS: Record<string, string[]> = {
    consumers: ["name", "kind", "filterPolicy", "filterPolicyScope", "maxReceiveCount", "maxMessageAgeSeconds"],
    lambda: ["timeoutSeconds", "memoryMb", "batchSize", "batchingWindowSeconds", "maxConcurrency"],
    worker: ["image", "build", "cpu", "memory", "minTasks", "maxTasks", "backlogPerTask"],
    network: ["natGateways", "availabilityZones"],
};

/** Keys that have tripped up hand-written loaders: prototype members and JavaScript oddities. */
const AWKWARD_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "", ":", "0", "length"];

/** A top-level key: one the schema knows, an awkward one, or anything at all. */
const topKey = fc.oneof(fc.constantFrom(...SCHEMA_KEYS), fc.constantFrom(...AWKWARD_KEYS), fc.string({ maxLength: 12 }));

/** Values that are almost right: plausible scalars around each key's bounds. */
const scalar = fc.oneof(
    fc.constantFrom("dev", "test", "prod", "lambda", "ecs", "none", "single", "onePerAz", "MessageBody", "ops@example.com", "repo/worker:1", ""),
    fc.constantFrom(0, 1, 2, 10, 11, 14, 15, 60, 256, 300, 512, 900, 1000, 1001, 4096, 10240, -1, 2.5, 1e400),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 8 }),
    fc.double(),
);

/** An object with some of a nested schema's keys (and maybe an unknown or awkward one), any values. */
function nearObject(keys: string[]): fc.Arbitrary<Record<string, unknown>> {
    const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, fc.constantFrom(...AWKWARD_KEYS), fc.string({ maxLength: 6 }));
    const value = fc.oneof({ weight: 3, arbitrary: scalar }, fc.jsonValue({ maxDepth: 2 }));
    return fc.dictionary(key, value, { maxKeys: 5 });
}

/** The JSON value a key holds: near-valid for the nested keys, anything JSON otherwise. */
function valueFor(key: string): fc.Arbitrary<unknown> {
    const any = fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 }));
    if (key === "consumers") {
        const consumer = fc.oneof({ weight: 4, arbitrary: nearObject(NESTED_KEYS.consumers!) }, any);
        return fc.oneof({ weight: 3, arbitrary: fc.array(consumer, { maxLength: 3 }) }, any);
    }
    if (key === "alarmEmails") {
        return fc.oneof(fc.array(fc.oneof(fc.emailAddress(), scalar), { maxLength: 3 }), any);
    }
    const nested = Object.hasOwn(NESTED_KEYS, key) ? NESTED_KEYS[key] : undefined;
    return nested ? fc.oneof({ weight: 3, arbitrary: nearObject(nested) }, any) : any;
}

/** The text Pulumi stores for a value: JSON, or raw text that may not parse. */
function textFor(key: string): fc.Arbitrary<string> {
    return fc.oneof(
        { weight: 4, arbitrary: valueFor(key).map((value) => (typeof value === "string" ? value : JSON.stringify(value) ?? "null")) },
        fc.json({ maxDepth: 2 }),
        fc.string({ maxLength: 16 }),
        fc.constantFrom("{", "[1,", "{\"name\":", "true ", " 14", "0x10", "NaN", "Infinity", "-0", "1e999", "null", "[]", "{}"),
    );
}

const namespacedEntry = topKey.chain((key) => textFor(key).map((text) => [`${CONFIG_NAMESPACE}:${key}`, text] as const));
const foreignEntry = fc.tuple(
    fc.oneof(fc.constantFrom("aws:region", "aws:profile", "pulumi:tags", "event-pipelin:owner", "owner", ""), fc.string({ maxLength: 12 })),
    fc.oneof(fc.constantFrom("us-east-1", "eu-west-3", "us-gov-west-1", "mars-1", ""), fc.string({ maxLength: 12 })),
);

/** Raw config as Pulumi hands it over: full keys to text, usually starting from a valid base. */
const rawConfig: fc.Arbitrary<Record<string, string>> = fc
    .tuple(
        fc.boolean(),
        fc.array(fc.oneof({ weight: 4, arbitrary: namespacedEntry }, foreignEntry), { maxLength: 6 }),
    )
    .map(([fromValidBase, entries]) => {
        const raw: Record<string, string> = fromValidBase ? { [`${CONFIG_NAMESPACE}:environment`]: "dev", [`${CONFIG_NAMESPACE}:owner`]: "team" } : {};
        for (const [key, text] of entries) {
            Object.defineProperty(raw, key, { value: text, enumerable: true, writable: true, configurable: true });
        }
        return raw;
    });

/** The keys a problem may name: the config's own and the schema's (a missing required key). */
function nameableKeys(raw: Record<string, string>): Set<string> {
    const keys = new Set(SCHEMA_KEYS.map((key) => `${CONFIG_NAMESPACE}:${key}`));
    Object.keys(raw).forEach((key) => keys.add(key));
    return keys;
}

/**
 * The property: `parse` returns, or throws a ConfigError (a pulumi.RunError) with at least one
 * problem, each of which starts with a full key of the config or the schema and says what is wrong
 * with it; the error's message lists every problem.
 */
function loaderProperty(parse: (raw: Record<string, string>, stack: string) => PipelineConfig) {
    return fc.property(rawConfig, (raw) => {
        let error: unknown;
        try {
            parse(raw, "dev");
            return;
        } catch (e) {
            error = e;
        }
        assert.ok(error instanceof ConfigError, `threw something else than a ConfigError: ${String(error)}`);
        assert.ok(pulumi.RunError.isInstance(error), "a ConfigError is a pulumi.RunError (printed without a stack trace)");
        assert.ok(error.problems.length > 0, "a ConfigError lists at least one problem");
        const keys = nameableKeys(raw);
        for (const problem of error.problems) {
            const named = [...keys].filter((key) => problem.startsWith(key) && /^(?:[.[]| = |: )/.test(problem.slice(key.length)));
            assert.ok(named.length > 0, `the problem names no key of the config: ${JSON.stringify(problem)}`);
            assert.ok(error.message.includes(`  - ${problem}`), `the message lists ${JSON.stringify(problem)}`);
        }
    });
}

describe("config loader properties (fast-check)", () => {
    it("on arbitrary config, returns or throws a ConfigError whose every problem names a key", () => {
        fc.assert(loaderProperty(parseStackConfig), { numRuns: 600 });
    });

    it("on arbitrary config it accepts, returns what the issue promises: the four tags, a region, protect only in prod", () => {
        fc.assert(
            fc.property(rawConfig, (raw) => {
                let config: PipelineConfig;
                try {
                    config = parseStackConfig(raw, "any-stack");
                } catch (e) {
                    if (e instanceof ConfigError) {
                        return; // rejected: the first property covers it
                    }
                    throw e;
                }
                assert.equal(config.stack, "any-stack");
                assert.deepEqual(config.tags, { Project: "event-pipeline", Environment: config.environment, Owner: config.owner, ManagedBy: "pulumi" });
                assert.ok(["dev", "test", "prod"].includes(config.environment));
                assert.ok(config.owner.trim().length > 0);
                assert.ok(config.consumers.length > 0);
                assert.equal(new Set(config.consumers.map((c) => c.name)).size, config.consumers.length, "consumer names are unique");
                assert.ok(!config.protect || config.environment === "prod");
                assert.equal(config.region, raw["aws:region"] ?? "us-east-1");
            }),
            { numRuns: 300 },
        );
    });

    it("reports a key named __proto__ as unknown instead of reading the schema's keys from its value", () => {
        // Found by the first property: `values["__proto__"] = [0]` made the loader report an unknown key "0".
        for (const text of ['{"environment":"prod","owner":"someone"}', "[0]"]) {
            assert.throws(
                () => parseStackConfig({ "event-pipeline:environment": "dev", "event-pipeline:owner": "team", "event-pipeline:__proto__": text }, "dev"),
                (e: unknown) =>
                    e instanceof ConfigError &&
                    e.problems.length === 1 &&
                    e.problems[0]!.startsWith("event-pipeline:__proto__: unknown key"),
            );
        }
    });

    describe("the property can fail", () => {
        const detects = (parse: (raw: Record<string, string>, stack: string) => PipelineConfig, expected: RegExp) =>
            assert.throws(
                () => fc.assert(loaderProperty(parse), { numRuns: 200, seed: 42 }),
                (e: unknown) => e instanceof Error && expected.test(String(e.cause)),
            );

        it("finds a loader that lets a TypeError escape", () => {
            detects((raw, stack) => {
                if (Object.keys(raw).some((key) => key.endsWith(":consumers"))) {
                    throw new TypeError("Cannot read properties of undefined (reading 'name')");
                }
                return parseStackConfig(raw, stack);
            }, /threw something else than a ConfigError/);
        });

        it("finds a loader whose problem names no key", () => {
            detects((raw, stack) => {
                try {
                    return parseStackConfig(raw, stack);
                } catch (e) {
                    throw e instanceof ConfigError ? new ConfigError(e.problems.map((p) => p.replace(/^[^ ]+ /, "the value "))) : e;
                }
            }, /names no key/);
        });
    });
});
