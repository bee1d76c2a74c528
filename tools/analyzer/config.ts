/**
 * Policy configuration with the Pulumi CLI's semantics (`pkg/resource/analyzer/config.go`):
 * every policy starts from its default level and its schema's defaults (the pack does not apply
 * them: without this `getConfig()` returns nothing), then the pack's initial config, then each
 * config file in turn. In a file a policy's value is a level string or an object holding an
 * optional `enforcementLevel` and properties, which replace the defaults key by key; `all` sets
 * every policy's level. The result is validated against each policy's schema, as the CLI does
 * before `Configure`.
 */
import * as fs from "fs";
import {
    AnalyzerInfo,
    ENFORCEMENT_LEVELS,
    EnforcementLevel,
    JsonSchema,
    PolicyConfigMap,
    PolicyConfigOverlay,
    PolicyPackError,
} from "./types";

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** Every policy at its default level with its schema's defaults — what the CLI starts from. */
export function defaultsFromSchemas(info: AnalyzerInfo): PolicyConfigMap {
    const config: PolicyConfigMap = {};
    for (const policy of info.policies) {
        const properties: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                // A copy, so a caller editing its config cannot change the info's schema.
                properties[key] = structuredClone(schema["default"]);
            }
        }
        config[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
    }
    return config;
}

/** A parsed `--policy-pack-config` JSON document; `source` names it in error messages. */
export function parsePolicyConfig(document: unknown, source = "policy pack config"): PolicyConfigOverlay {
    if (document === null || document === undefined) {
        return {};
    }
    if (!isRecord(document)) {
        throw new PolicyPackError(`${source}: must be a JSON object mapping policy names to a level or an object`);
    }
    const overlay: PolicyConfigOverlay = {};
    for (const [policyName, value] of Object.entries(document)) {
        if (typeof value === "string") {
            if (!isEnforcementLevel(value)) {
                throw new PolicyPackError(`${source}: '${policyName}': "${value}" is not an enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
            }
            overlay[policyName] = { enforcementLevel: value };
        } else if (isRecord(value)) {
            const { enforcementLevel, ...properties } = value;
            if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
                throw new PolicyPackError(
                    `${source}: '${policyName}': enforcementLevel ${JSON.stringify(enforcementLevel)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`,
                );
            }
            const entry: PolicyConfigOverlay[string] = {};
            if (enforcementLevel !== undefined) {
                entry.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                entry.properties = properties;
            }
            // Like the CLI, an empty object configures nothing.
            if (entry.enforcementLevel !== undefined || entry.properties !== undefined) {
                overlay[policyName] = entry;
            }
        } else {
            throw new PolicyPackError(`${source}: '${policyName}': ${JSON.stringify(value)} is not valid; use a level string or an object`);
        }
    }
    return overlay;
}

/** `parsePolicyConfig` of a JSON file; an empty file configures nothing, as with the CLI. */
export function loadPolicyConfigFile(path: string): PolicyConfigOverlay {
    let text: string;
    try {
        text = fs.readFileSync(path, "utf8");
    } catch (e) {
        throw new PolicyPackError(`cannot read policy pack config ${path}: ${(e as Error).message}`);
    }
    if (text.trim() === "") {
        return {};
    }
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (e) {
        throw new PolicyPackError(`policy pack config ${path} is not valid JSON: ${(e as Error).message}`);
    }
    return parsePolicyConfig(document, path);
}

/**
 * `overlay` applied on `base` (the CLI's `applyConfig`). A policy not in `base` keeps only what the
 * overlay gives; one with properties but no level is an error, as `Configure` would reject it.
 */
export function overlayPolicyConfig(base: PolicyConfigMap, overlay: PolicyConfigOverlay): PolicyConfigMap {
    const result: PolicyConfigMap = {};
    for (const [name, config] of Object.entries(base)) {
        result[name] = { enforcementLevel: config.enforcementLevel, properties: { ...config.properties } };
    }
    const all = overlay["all"]?.enforcementLevel;
    if (all !== undefined) {
        for (const config of Object.values(result)) {
            config.enforcementLevel = all;
        }
    }
    for (const [name, given] of Object.entries(overlay)) {
        if (name === "all") {
            continue; // a reserved name: no policy is called `all`, so only its level matters
        }
        const existing = result[name];
        const enforcementLevel = given.enforcementLevel ?? existing?.enforcementLevel;
        if (enforcementLevel === undefined) {
            throw new PolicyPackError(
                `policy config for '${name}': no such policy in the pack (known: ${Object.keys(base).join(", ") || "none"})`,
            );
        }
        result[name] = { enforcementLevel, properties: { ...existing?.properties, ...given.properties } };
    }
    return result;
}

/**
 * Each problem as `<policy>.<path>: <problem>` (`sqs-queue-encrypted.exemptions[0].expires: …`), or
 * `<policy>: <problem>` for the config as a whole; empty when every policy's config fits its schema.
 */
export function validatePolicyConfig(info: AnalyzerInfo, config: PolicyConfigMap): string[] {
    const problems: string[] = [];
    for (const policy of info.policies) {
        if (!policy.configSchema) {
            continue;
        }
        const schema: JsonSchema = {
            type: "object",
            properties: policy.configSchema.properties,
            required: policy.configSchema.required,
        };
        for (const problem of schemaProblems(schema, config[policy.name]?.properties ?? {}, policy.name)) {
            problems.push(problem);
        }
    }
    return problems;
}

/**
 * What the CLI sends to `Configure`: defaults, then the pack's initial config, then each overlay
 * (e.g. `loadPolicyConfigFile("policies/config.dev.json")`), validated against the schemas.
 */
export function resolvePolicyConfig(info: AnalyzerInfo, ...overlays: PolicyConfigOverlay[]): PolicyConfigMap {
    let config = overlayPolicyConfig(defaultsFromSchemas(info), info.initialConfig);
    for (const overlay of overlays) {
        config = overlayPolicyConfig(config, overlay);
    }
    const problems = validatePolicyConfig(info, config);
    if (problems.length > 0) {
        throw new PolicyPackError(`policy pack config is invalid:\n  ${problems.join("\n  ")}`);
    }
    return config;
}

function typeOf(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "array";
    }
    if (typeof value === "number") {
        return Number.isInteger(value) ? "integer" : "number";
    }
    return typeof value;
}

function matchesType(expected: unknown, value: unknown): boolean {
    const actual = typeOf(value);
    const types = Array.isArray(expected) ? expected : [expected];
    return types.some((type) => type === actual || (type === "number" && actual === "integer"));
}

/** True for `YYYY-MM-DD` naming a day that exists, as the CLI's `format: "date"` checker decides. */
function isCalendarDate(text: string): boolean {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match) {
        return false;
    }
    const [year, month, day] = match.slice(1).map(Number);
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function patternProblem(schema: JsonSchema, value: string): string {
    if (schema["pattern"] === "\\S") {
        return "must not be blank";
    }
    const description = typeof schema["description"] === "string" ? ` (${schema["description"]})` : "";
    return `${JSON.stringify(value)} does not match ${String(schema["pattern"])}${description}`;
}

/**
 * The JSON Schema keywords policy config schemas use (type, enum, const, properties, required,
 * additionalProperties: false, items, min/max, lengths, pattern, format: "date"); other keywords
 * are not checked. `at` names the value: `<policy>.<property>[<index>].<property>`.
 */
function schemaProblems(schema: JsonSchema, value: unknown, at: string): string[] {
    if (schema["type"] !== undefined && !matchesType(schema["type"], value)) {
        return [`${at}: expected ${[schema["type"]].flat().join(" or ")}, got ${typeOf(value)}`];
    }
    const problems: string[] = [];
    if (Array.isArray(schema["enum"]) && !schema["enum"].some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
        problems.push(`${at}: must be one of ${schema["enum"].map((v) => JSON.stringify(v)).join(", ")}`);
    }
    if ("const" in schema && JSON.stringify(schema["const"]) !== JSON.stringify(value)) {
        problems.push(`${at}: must be ${JSON.stringify(schema["const"])}`);
    }
    if (typeof value === "number") {
        if (typeof schema["minimum"] === "number" && value < schema["minimum"]) {
            problems.push(`${at}: must be ≥ ${schema["minimum"]}`);
        }
        if (typeof schema["maximum"] === "number" && value > schema["maximum"]) {
            problems.push(`${at}: must be ≤ ${schema["maximum"]}`);
        }
    }
    if (typeof value === "string") {
        if (typeof schema["minLength"] === "number" && value.length < schema["minLength"]) {
            problems.push(`${at}: must have at least ${schema["minLength"]} characters`);
        }
        if (typeof schema["maxLength"] === "number" && value.length > schema["maxLength"]) {
            problems.push(`${at}: must have at most ${schema["maxLength"]} characters`);
        }
        if (typeof schema["pattern"] === "string" && !new RegExp(schema["pattern"], "u").test(value)) {
            problems.push(`${at}: ${patternProblem(schema, value)}`);
        }
        if (schema["format"] === "date" && !isCalendarDate(value)) {
            problems.push(`${at}: ${JSON.stringify(value)} is not a real date (YYYY-MM-DD)`);
        }
    }
    if (Array.isArray(value)) {
        if (typeof schema["minItems"] === "number" && value.length < schema["minItems"]) {
            problems.push(`${at}: must have at least ${schema["minItems"]} items`);
        }
        if (typeof schema["maxItems"] === "number" && value.length > schema["maxItems"]) {
            problems.push(`${at}: must have at most ${schema["maxItems"]} items`);
        }
        const items = schema["items"];
        if (isRecord(items)) {
            value.forEach((item, i) => problems.push(...schemaProblems(items, item, `${at}[${i}]`)));
        }
    }
    if (isRecord(value)) {
        const properties = isRecord(schema["properties"]) ? schema["properties"] : {};
        for (const required of Array.isArray(schema["required"]) ? schema["required"] : []) {
            if (typeof required === "string" && !(required in value)) {
                problems.push(`${at}.${required}: is required`);
            }
        }
        for (const [key, propertyValue] of Object.entries(value)) {
            const propertySchema = properties[key];
            const propertyPath = `${at}.${key}`;
            if (isRecord(propertySchema)) {
                problems.push(...schemaProblems(propertySchema, propertyValue, propertyPath));
            } else if (schema["additionalProperties"] === false) {
                problems.push(`${propertyPath}: is not allowed`);
            } else if (isRecord(schema["additionalProperties"])) {
                problems.push(...schemaProblems(schema["additionalProperties"], propertyValue, propertyPath));
            }
        }
    }
    return problems;
}
