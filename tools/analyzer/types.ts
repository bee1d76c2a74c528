/**
 * The shapes this module takes and gives. Resources are what the program harness records from
 * the mock monitor's `registerResource` requests; violations are what the pack's diagnostics say.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface ProviderReference {
    urn: string;
    /** e.g. `pulumi:providers:aws` */
    type: string;
    name: string;
    /** The provider's inputs, as the engine hands them to analyzers (`defaultTags` is a JSON string). */
    props: Record<string, unknown>;
}

export interface AnalyzedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    provider?: ProviderReference;
    /** Property values as registered; may hold `UNKNOWN`, `secret(…)` and the SDK's wire forms. */
    inputs: Record<string, unknown>;
    /** What `AnalyzeStack` sees; a resource without outputs is sent with its inputs. */
    outputs?: Record<string, unknown>;
    protect: boolean;
    /** property → URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
    /** Every resource this one depends on; defaults to the union of `propertyDependencies`. */
    dependencies?: string[];
    // Resource options the engine forwards to analyzers too; rarely set by this project's program.
    ignoreChanges?: string[];
    aliases?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
}

export interface Violation {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    enforcementLevel: EnforcementLevel;
    /** The policy's description, a newline, then what the policy reported. */
    message: string;
    /** The resource the violation is reported against; a stack policy may leave it unset. */
    urn?: string;
    description: string;
}

export interface JsonSchema {
    [keyword: string]: unknown;
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    policyType: "resource" | "stack" | "unknown";
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
}

export interface PolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** policy name → its configuration, as sent by `Configure`. */
export type PolicyConfigMap = Record<string, PolicyConfig>;

/**
 * A policy pack config file (`--policy-pack-config`) once parsed: a level, properties, or both, per
 * policy; the key `all` sets every policy's level.
 */
export type PolicyConfigOverlay = Record<string, { enforcementLevel?: EnforcementLevel; properties?: Record<string, unknown> }>;

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    /** `version` of PulumiPolicy.yaml when set (as the CLI reports it), else the pack's own. */
    version: string;
    description: string;
    supportsConfig: boolean;
    /** In the order the pack declares them. */
    policies: PolicyInfo[];
    /** Config the pack ships with (`new PolicyPack(…, { policies }, initialConfig)`). */
    initialConfig: PolicyConfigOverlay;
}

export interface StackConfiguration {
    stack: string;
    project: string;
    organization?: string;
    dryRun?: boolean;
    tags?: Record<string, string>;
}

/** Errors from this module: a message meant for people; `details` keeps what the pack said verbatim. */
export class PolicyPackError extends Error {
    constructor(message: string, readonly details?: string) {
        super(message);
        this.name = "PolicyPackError";
        // Users get a sentence, not this module's call stack (the cause is in the pack or its config).
        this.stack = `${this.name}: ${message}`;
    }
}
