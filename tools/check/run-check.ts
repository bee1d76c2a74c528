/**
 * `npm run check`'s engine: the stack's program under Pulumi's mock runtime, judged by the real
 * policy pack driven over the analyzer protocol as `pulumi preview --policy-pack policies` drives it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, parseStackConfig } from "../../config";
import { AnalyzedResource, loadPolicyConfigFile, PolicyPackClient, resolvePolicyConfig, startPolicyPack, Violation } from "../analyzer";
import { RecordedResource, runProgram } from "../mock-runtime";
import { THIS_PROJECT_NAME, THIS_PROJECT_ROOT } from "../project";
import { readStackConfig } from "../stack-files";

export const POLICY_PACK_DIR = path.join(THIS_PROJECT_ROOT, "policies");

export interface CheckOptions {
    stack: string;
    /** Outputs of resources unknown, as in the first `pulumi preview` of a new stack. */
    preview?: boolean;
    /** Project root holding `Pulumi.yaml` and the stack files. */
    root?: string;
    /** A change to the recorded graph before it is judged (tests use it to break the program on purpose). */
    mutate?: (resources: RecordedResource[]) => RecordedResource[];
}

export interface CheckResult {
    stack: string;
    preview: boolean;
    resources: RecordedResource[];
    violations: Violation[];
    /** Policies the pack served, in its order. */
    policies: { name: string; enforcementLevel: string }[];
}

/** The stack config failed validation: the loader's message says what and where. */
export class InvalidStackConfig extends Error {}

/** The resources as the engine hands them to analyzers: each with its provider's props. */
export function toAnalyzedResources(resources: RecordedResource[]): AnalyzedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return resources.map((r) => {
        const provider = r.provider ? byUrn.get(r.provider) : undefined;
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            provider: provider ? { urn: provider.urn, type: provider.type, name: provider.name, props: provider.inputs } : undefined,
            inputs: r.inputs,
            outputs: r.outputs,
            protect: r.protect,
            propertyDependencies: r.propertyDependencies,
            dependencies: r.dependencies,
        };
    });
}

/** Judges an already-recorded graph with a running pack (shared by the command, tests and the benchmark). */
export async function judge(client: PolicyPackClient, stack: string, resources: RecordedResource[], dryRun: boolean): Promise<Violation[]> {
    const info = await client.getAnalyzerInfo();
    const configFile = path.join(POLICY_PACK_DIR, `config.${stack}.json`);
    const overlays = fs.existsSync(configFile) ? [loadPolicyConfigFile(configFile)] : [];
    await client.configure(resolvePolicyConfig(info, ...overlays));
    await client.configureStack({ stack, project: THIS_PROJECT_NAME, organization: "organization", dryRun, tags: {} });
    const analyzed = toAnalyzedResources(resources);
    const perResource = await client.analyzeAll(analyzed);
    const stackWide = await client.analyzeStack(analyzed);
    return [...perResource, ...stackWide];
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
    const root = options.root ?? THIS_PROJECT_ROOT;
    const stackConfig = readStackConfig(root, options.stack);
    try {
        parseStackConfig(stackConfig.config, options.stack);
    } catch (e) {
        if (e instanceof ConfigError) {
            throw new InvalidStackConfig(`Pulumi.${options.stack}.yaml: ${e.message}`);
        }
        throw e;
    }
    // The pack boots (~1 s) while the program runs.
    const starting = startPolicyPack(POLICY_PACK_DIR, {
        stack: { stack: options.stack, project: THIS_PROJECT_NAME, dryRun: options.preview ?? false, config: stackConfig.config },
    });
    starting.catch(() => undefined);
    let client: PolicyPackClient | undefined;
    try {
        const run = await runProgram({ stack: options.stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys, preview: options.preview });
        const resources = options.mutate ? options.mutate(run.resources) : run.resources;
        client = await starting;
        const info = await client.getAnalyzerInfo();
        const violations = await judge(client, options.stack, resources, options.preview ?? false);
        return {
            stack: options.stack,
            preview: options.preview ?? false,
            resources,
            violations,
            policies: info.policies.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel })),
        };
    } finally {
        client = client ?? (await starting.catch(() => undefined));
        await client?.close();
    }
}
