/**
 * Writes `policies/config.<stack>.json`, the `--policy-pack-config` file of each stack, from one
 * source: `policies/config/base.json` (every policy, with the settings all stacks share) overlaid
 * by `policies/config/<stack>.json` (only what differs for that stack).
 *
 *     npx ts-node policies/scripts/generate-config-files.ts
 *
 * A new policy is added once, to base.json. The CLI, the workflows and `npm run check` read the
 * generated files where they always were; they are committed, and
 * `tests/policies/scripts/generate-config-files.spec.ts` fails when one no longer matches its source.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const PACK_DIRECTORY = path.join(__dirname, "..");
export const SOURCE_DIRECTORY = path.join(PACK_DIRECTORY, "config");
const BASE_FILE = "base.json";

/** A `--policy-pack-config` entry: an enforcement level, or an object of an optional level and config properties. */
export type PolicyConfigEntry = string | Record<string, unknown>;
export type PolicyConfigFile = Record<string, PolicyConfigEntry>;

export interface ConfigSources {
    base: PolicyConfigFile;
    /** Stack name → what differs for it. */
    overrides: Record<string, PolicyConfigFile>;
}

export const configFilePath = (stack: string) => path.join(PACK_DIRECTORY, `config.${stack}.json`);

export function readConfigSources(directory = SOURCE_DIRECTORY): ConfigSources {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(directory, file), "utf8")) as PolicyConfigFile;
    const overrides: Record<string, PolicyConfigFile> = {};
    for (const file of fs.readdirSync(directory).filter((f) => f.endsWith(".json") && f !== BASE_FILE).sort()) {
        overrides[path.basename(file, ".json")] = read(file);
    }
    return { base: read(BASE_FILE), overrides };
}

/**
 * The stack's config: base.json with the stack's override laid over each policy's entry. An
 * override may only change policies base.json lists, and only with a value that differs: the
 * base is the one place a policy is added.
 */
export function stackConfig(sources: ConfigSources, stack: string): PolicyConfigFile {
    const override = sources.overrides[stack];
    if (override === undefined) {
        throw new Error(`no policies/config/${stack}.json: add it (an empty {} if the stack differs in nothing)`);
    }
    const merged: PolicyConfigFile = { ...sources.base };
    for (const [policy, entry] of Object.entries(override)) {
        const base = sources.base[policy];
        if (base === undefined) {
            throw new Error(`policies/config/${stack}.json: '${policy}' is not in policies/config/base.json: add the policy there first`);
        }
        const baseObject = typeof base === "string" ? { enforcementLevel: base } : base;
        const overrideObject = typeof entry === "string" ? { enforcementLevel: entry } : entry;
        const same = Object.keys(overrideObject).filter((key) => JSON.stringify(overrideObject[key]) === JSON.stringify(baseObject[key]));
        if (same.length > 0) {
            throw new Error(`policies/config/${stack}.json: '${policy}' repeats ${same.join(", ")} of base.json: keep only what differs`);
        }
        merged[policy] = { ...baseObject, ...overrideObject };
    }
    return merged;
}

/** The file as the repository keeps it: two-space indentation, arrays of scalars on one line. */
export function renderConfigFile(config: PolicyConfigFile): string {
    const value = (v: unknown): string =>
        Array.isArray(v) && v.every((item) => item === null || typeof item !== "object")
            ? `[${v.map((item) => JSON.stringify(item)).join(", ")}]`
            : JSON.stringify(v);
    const entries = Object.entries(config).map(([policy, entry]) => {
        if (typeof entry === "string") {
            return `  ${JSON.stringify(policy)}: ${JSON.stringify(entry)}`;
        }
        const properties = Object.entries(entry).map(([key, v]) => `    ${JSON.stringify(key)}: ${value(v)}`);
        return `  ${JSON.stringify(policy)}: {\n${properties.join(",\n")}\n  }`;
    });
    return `{\n${entries.join(",\n")}\n}\n`;
}

if (require.main === module) {
    const sources = readConfigSources();
    for (const stack of Object.keys(sources.overrides)) {
        fs.writeFileSync(configFilePath(stack), renderConfigFile(stackConfig(sources, stack)));
        console.log(`wrote ${path.relative(process.cwd(), configFilePath(stack))}`);
    }
}
