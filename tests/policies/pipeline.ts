/**
 * The one hand-kept event pipeline the policy specs start from (`base-pipeline.json`), and how it
 * becomes the resources the engine hands a policy pack: a topic → subscription → queue (with a
 * dead-letter queue) → Lambda consumer pipeline that passes every policy, written once with
 * placeholders and expanded for a name, a stack and a phase, with a patch on top.
 *
 * In base-pipeline.json:
 * - `{name}` and `{stack}` stand for the pipeline's name and stack; a resource `queue` of
 *   pipeline `orders` is named `orders-queue`, its URN carries its component's type chain;
 * - `"${queue.arn}"` refers to another resource's attribute (an input, or a `computed` one);
 * - `{"$json": …}` is a JSON-string property (policy documents, redrive policies);
 * - `computed` attributes exist only once the resource does: its outputs are its inputs plus them.
 *
 * Phases:
 * - `deployed`, the stack after an update: references resolved, outputs known;
 * - `preview`, the first preview of a new stack: no outputs, and every input built from a
 *   reference is the engine's unknown sentinel (a whole JSON string when it holds one), its
 *   `propertyDependencies` naming the resources it came from — as the engine sends them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UNKNOWN } from "./harness";

export const PROJECT = "event-pipeline";
export type Phase = "deployed" | "preview";

/** A resource as the engine hands it over (the shape of tests/policies/labelled/*.json). */
export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    parent: string;
    provider?: string;
    protect: boolean;
    inputs: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    /** property → URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
}

/** A resource of base-pipeline.json, or one a patch adds. */
export interface PipelineResource {
    type: string;
    /** `<component type>::<component name>`: the resource's parent. */
    component: string;
    protect?: boolean;
    inputs: Record<string, unknown>;
    computed?: Record<string, unknown>;
    /** property → keys of the resources its value came from, when no reference says so (or to replace what they say). */
    propertyDependencies?: Record<string, string[]>;
}

/** What one resource of the pipeline looks like in a case: `null` removes an input or a computed attribute. */
export interface ResourceChange {
    inputs?: Record<string, unknown>;
    computed?: Record<string, unknown>;
    protect?: boolean;
    propertyDependencies?: Record<string, string[]>;
}

export interface PipelinePatch {
    /** The pipeline's name: the prefix of every resource name. */
    name: string;
    stack?: string;
    phase: Phase;
    /** Keys of pipeline resources left out. */
    remove?: string[];
    change?: Record<string, ResourceChange>;
    /** Further resources, after the pipeline's. */
    add?: Record<string, PipelineResource>;
}

interface PipelineFile {
    resources: Record<string, PipelineResource>;
    /** Resources the pipeline's resources refer to that are not part of any case (the consumer's role). */
    outside: Record<string, Omit<PipelineResource, "inputs"> & { inputs?: Record<string, unknown> }>;
}

export const PIPELINE_FILE = path.join(__dirname, "base-pipeline.json");
const PIPELINE: PipelineFile = JSON.parse(fs.readFileSync(PIPELINE_FILE, "utf8")) as PipelineFile;
const REFERENCE = /\$\{([a-z0-9-]+)\.([A-Za-z0-9]+)\}/g;

export interface ExpandOptions {
    /**
     * `preview` (the labelled set): dependencies only in the preview phase, as its cases were
     * written; `always`: in both phases, as the engine sends them.
     */
    dependencies?: "preview" | "always";
}

/** The pipeline's resources for `patch`, in the engine's shape, and the URN of each key. */
export function expandPipeline(patch: PipelinePatch, options: ExpandOptions = {}): { resources: EngineResource[]; urnOf: (key: string) => string } {
    const stack = patch.stack ?? "dev";
    const fill = (text: string) => text.split("{name}").join(patch.name).split("{stack}").join(stack);
    const definitions = new Map<string, PipelineResource>();
    for (const [key, resource] of Object.entries(PIPELINE.resources)) {
        if (!patch.remove?.includes(key)) {
            definitions.set(key, applyChange(resource, patch.change?.[key]));
        }
    }
    for (const key of patch.remove ?? []) {
        if (!(key in PIPELINE.resources)) {
            throw new Error(`remove: no pipeline resource '${key}'`);
        }
    }
    for (const key of Object.keys(patch.change ?? {})) {
        if (!definitions.has(key)) {
            throw new Error(`change: no resource '${key}' in the pipeline (removed, or misspelt)`);
        }
    }
    for (const [key, resource] of Object.entries(patch.add ?? {})) {
        if (definitions.has(key)) {
            throw new Error(`add: '${key}' is already a pipeline resource: change it instead`);
        }
        definitions.set(key, resource);
    }
    const everyDefinition = new Map<string, Partial<PipelineResource>>([...Object.entries(PIPELINE.outside), ...definitions]);

    const urnOf = (key: string) => {
        const definition = everyDefinition.get(key);
        if (!definition?.type || !definition.component) {
            throw new Error(`a reference to '${key}', which is not a resource of the pipeline`);
        }
        const [componentType] = definition.component.split("::");
        return `urn:pulumi:${stack}::${PROJECT}::${componentType}$${definition.type}::${patch.name}-${key}`;
    };
    const parentOf = (definition: PipelineResource) => {
        const [componentType, componentName] = definition.component.split("::");
        return `urn:pulumi:${stack}::${PROJECT}::${componentType}::${fill(componentName)}`;
    };

    // An attribute's value with every placeholder and reference resolved (references to a
    // resource removed from the case still resolve: a value may name what is not in the stack).
    const resolving = new Set<string>();
    const attribute = (key: string, name: string): unknown => {
        const definition = everyDefinition.get(key) ?? PIPELINE.resources[key];
        const value = definition?.computed?.[name] ?? definition?.inputs?.[name];
        if (value === undefined) {
            throw new Error(`\${${key}.${name}}: no such attribute`);
        }
        if (resolving.has(`${key}.${name}`)) {
            throw new Error(`\${${key}.${name}} refers to itself`);
        }
        resolving.add(`${key}.${name}`);
        try {
            return resolve(value);
        } finally {
            resolving.delete(`${key}.${name}`);
        }
    };
    const resolve = (value: unknown): unknown => {
        if (typeof value === "string") {
            const whole = /^\$\{([a-z0-9-]+)\.([A-Za-z0-9]+)\}$/.exec(value);
            return whole ? attribute(whole[1], whole[2]) : fill(value).replace(REFERENCE, (_, key: string, name: string) => String(attribute(key, name)));
        }
        if (Array.isArray(value)) {
            return value.map(resolve);
        }
        if (isJsonString(value)) {
            return JSON.stringify(resolve(value.$json));
        }
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
        }
        return value;
    };

    const provider = `urn:pulumi:${stack}::${PROJECT}::pulumi:providers:aws::aws`;
    const withDependencies = patch.phase === "preview" || options.dependencies === "always";
    const resources = [...definitions].map(([key, definition]): EngineResource => {
        const propertyDependencies: Record<string, string[]> = {};
        const inputs: Record<string, unknown> = {};
        for (const [property, value] of Object.entries(definition.inputs)) {
            const referenced = referencesIn(value);
            if (withDependencies && referenced.length > 0) {
                propertyDependencies[property] = referenced.map(urnOf);
            }
            inputs[property] = patch.phase === "preview" ? unknownWhereBuilt(value, resolve) : resolve(value);
        }
        for (const [property, keys] of Object.entries(definition.propertyDependencies ?? {})) {
            propertyDependencies[property] = keys.map(urnOf);
        }
        const resource: EngineResource = {
            urn: urnOf(key),
            type: definition.type,
            name: `${patch.name}-${key}`,
            parent: parentOf(definition),
            provider,
            protect: definition.protect ?? false,
            inputs,
            propertyDependencies,
        };
        if (patch.phase === "deployed") {
            resource.outputs = { ...inputs, ...(resolve(definition.computed ?? {}) as Record<string, unknown>) };
        }
        return resource;
    });
    return { resources, urnOf };
}

/** The computed attributes a pipeline resource (or an added one) declares, by key. */
export function computedAttributes(key: string, patch?: PipelinePatch): string[] {
    const definition = patch?.add?.[key] ?? PIPELINE.resources[key];
    const change = patch?.change?.[key]?.computed ?? {};
    return Object.keys({ ...definition?.computed, ...change }).filter((name) => change[name] !== null);
}

function applyChange(resource: PipelineResource, change: ResourceChange | undefined): PipelineResource {
    if (change === undefined) {
        return resource;
    }
    const overlay = (base: Record<string, unknown> | undefined, changes: Record<string, unknown> | undefined) => {
        const result = { ...base };
        for (const [key, value] of Object.entries(changes ?? {})) {
            if (value === null) {
                delete result[key];
            } else {
                result[key] = value;
            }
        }
        return result;
    };
    return {
        ...resource,
        protect: change.protect ?? resource.protect,
        inputs: overlay(resource.inputs, change.inputs),
        computed: overlay(resource.computed, change.computed),
        propertyDependencies: { ...resource.propertyDependencies, ...change.propertyDependencies },
    };
}

function isJsonString(value: unknown): value is { $json: unknown } {
    return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "$json" in value;
}

/** The keys of the resources a value refers to, in order of first appearance. */
function referencesIn(value: unknown): string[] {
    const keys: string[] = [];
    for (const match of JSON.stringify(value ?? null).matchAll(REFERENCE)) {
        if (!keys.includes(match[1])) {
            keys.push(match[1]);
        }
    }
    return keys;
}

/** A value as a first preview sees it: what is built from a reference is unknown (a JSON string as a whole). */
function unknownWhereBuilt(value: unknown, resolve: (value: unknown) => unknown): unknown {
    if (referencesIn(value).length === 0) {
        return resolve(value);
    }
    if (typeof value === "string" || isJsonString(value)) {
        return UNKNOWN;
    }
    if (Array.isArray(value)) {
        return value.map((item) => unknownWhereBuilt(item, resolve));
    }
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, unknownWhereBuilt(v, resolve)]));
}
