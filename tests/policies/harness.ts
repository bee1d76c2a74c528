/**
 * Runs a policy the way the policy server does (`@pulumi/policy`'s server.ts): props wrapped in
 * `unknownCheckingProxy`, config defaults from the policy's `configSchema` overlaid by the test's
 * config (the CLI applies the defaults, not the pack), and an `UnknownValueError` that escapes
 * reported as the server reports it — as an advisory "can't run policy" — so a test sees it fail.
 */
import {
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
    unknownCheckingProxy,
    UnknownValueError,
} from "@pulumi/policy";
import { UNKNOWN_SENTINELS } from "../../tools/analyzer";

/** The engine's unknown string, as the policy server hands it to a policy (declared once, by the tools). */
export const UNKNOWN = UNKNOWN_SENTINELS.string;

export interface Violation {
    message: string;
    urn?: string;
}

export interface FixtureResource {
    type: string;
    /** Logical name; also the key other fixtures use in `dependsOn`. */
    name: string;
    props: Record<string, unknown>;
    urn?: string;
    protect?: boolean;
    /** property → names of the fixture resources that property's value came from. */
    propertyDependencies?: Record<string, string[]>;
    provider?: { type: string; name?: string; props: Record<string, unknown> };
}

export interface RunOptions {
    config?: Record<string, unknown>;
    stack?: string;
}

export function urnOf(type: string, name: string, stack = "dev", parentTypes: string[] = []): string {
    return `urn:pulumi:${stack}::event-pipeline::${[...parentTypes, type].join("$")}::${name}`;
}

function configFor(policy: ResourceValidationPolicy | StackValidationPolicy, config: Record<string, unknown> = {}) {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (schema.default !== undefined) {
            defaults[key] = schema.default;
        }
    }
    return { ...defaults, ...config };
}

class NotApplicable extends Error {}

function options(protect: boolean) {
    return { protect, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };
}

function provider(fixture: FixtureResource) {
    if (!fixture.provider) {
        return undefined;
    }
    const name = fixture.provider.name ?? "default";
    return { type: fixture.provider.type, name, urn: urnOf(fixture.provider.type, name), props: fixture.provider.props };
}

function escapedUnknown(policy: { name: string }, e: unknown): Violation[] {
    if (e instanceof UnknownValueError) {
        return [{ message: `can't run policy '${policy.name}' during preview: ${(e as Error).message}` }];
    }
    if (e instanceof NotApplicable) {
        return [];
    }
    throw e;
}

/** Violations a resource policy reports for one resource. */
export async function validateResource(
    policy: ResourceValidationPolicy,
    fixture: Omit<FixtureResource, "name"> & { name?: string },
    run: RunOptions = {},
): Promise<Violation[]> {
    const name = fixture.name ?? "subject";
    const violations: Violation[] = [];
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    const config = configFor(policy, run.config);
    for (const validate of validations) {
        try {
            await validate(
                {
                    type: fixture.type,
                    props: unknownCheckingProxy(structuredClone(fixture.props)),
                    urn: fixture.urn ?? urnOf(fixture.type, name, run.stack),
                    name,
                    opts: options(fixture.protect ?? false),
                    provider: provider(fixture as FixtureResource),
                    stackTags: new Map(),
                    isType: () => false,
                    asType: () => undefined,
                    getConfig: <T extends object>() => config as T,
                    notApplicable: (reason?: string): never => {
                        throw new NotApplicable(reason);
                    },
                },
                (message: string, urn?: string) => violations.push({ message, urn }),
            );
        } catch (e) {
            violations.push(...escapedUnknown(policy, e));
        }
    }
    return violations;
}

/** Violations a stack policy reports for a set of resources (dependencies given by fixture name). */
export async function validateStack(
    policy: StackValidationPolicy,
    fixtures: FixtureResource[],
    run: RunOptions = {},
): Promise<Violation[]> {
    const resources = new Map<string, PolicyResource>();
    for (const fixture of fixtures) {
        const urn = fixture.urn ?? urnOf(fixture.type, fixture.name, run.stack);
        const props = unknownCheckingProxy(structuredClone(fixture.props));
        resources.set(fixture.name, {
            type: fixture.type,
            name: fixture.name,
            urn,
            props,
            opts: options(fixture.protect ?? false),
            provider: provider(fixture),
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource);
    }
    for (const fixture of fixtures) {
        const resource = resources.get(fixture.name)!;
        for (const [property, names] of Object.entries(fixture.propertyDependencies ?? {})) {
            resource.propertyDependencies[property] = names.map((n) => {
                const dep = resources.get(n);
                if (!dep) {
                    throw new Error(`fixture ${fixture.name}: unknown dependency ${n}`);
                }
                return dep;
            });
            resource.dependencies.push(...resource.propertyDependencies[property]);
        }
    }
    const violations: Violation[] = [];
    const config = configFor(policy, run.config);
    try {
        await policy.validateStack(
            {
                resources: [...resources.values()],
                stackTags: new Map(),
                getConfig: <T extends object>() => config as T,
                notApplicable: (reason?: string): never => {
                    throw new NotApplicable(reason);
                },
            },
            (message: string, urn?: string) => violations.push({ message, urn }),
        );
    } catch (e) {
        violations.push(...escapedUnknown(policy, e));
    }
    return violations;
}

/** The resources as the policy server hands them to a stack policy: props proxied, dependencies linked. */
export async function serverResources(fixtures: FixtureResource[]): Promise<PolicyResource[]> {
    let captured: PolicyResource[] = [];
    await validateStack({ name: "capture", description: "", validateStack: (args) => void (captured = args.resources) }, fixtures);
    return captured;
}
