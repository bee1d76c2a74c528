/**
 * A recorded graph judged by a running policy pack with the calls `pulumi preview --policy-pack`
 * makes: GetAnalyzerInfo, Configure (schema defaults, the pack's initial config, then the
 * `--policy-pack-config` file: the pack's `config.<stack>.json` unless another is given),
 * ConfigureStack, Analyze of every resource, AnalyzeStack.
 * `npm run check` and the benchmark both judge through it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { AnalyzedResource, AnalyzerInfo, loadPolicyConfigFile, PolicyConfigMap, PolicyPackClient, resolvePolicyConfig, Violation } from "../analyzer";
import type { RecordedResource } from "../mock-runtime";

/** The organization the CLI reports for a stack on a local backend. */
const LOCAL_ORGANIZATION = "organization";

export interface JudgedStack {
    stack: string;
    project: string;
    /** True as in a preview, false as in an update. */
    dryRun: boolean;
}

export interface JudgeOptions {
    /**
     * The policy pack config file (`--policy-pack-config`) applied over the defaults; by default
     * the pack's own `config.<stack>.json` when it has one; `null` for the defaults alone.
     */
    configFile?: string | null;
}

export interface Judgement {
    /** What the pack said about itself and its policies. */
    info: AnalyzerInfo;
    /** The config the pack was configured with: every policy's level and properties. */
    config: PolicyConfigMap;
    /** Analyze's violations in the order of the resources, then AnalyzeStack's. */
    violations: Violation[];
    /** Milliseconds the Analyze calls took, all of them. */
    analyzeMs: number;
    /** Milliseconds the AnalyzeStack call took. */
    analyzeStackMs: number;
}

/** The pack's own config for `stack`, applied over its defaults when the file exists. */
function packConfigFile(packDir: string, stack: string): string | null {
    const file = path.join(packDir, `config.${stack}.json`);
    return fs.existsSync(file) ? file : null;
}

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

/** Judges `resources` of `stack` with a started pack. */
export async function judge(client: PolicyPackClient, stack: JudgedStack, resources: readonly AnalyzedResource[], options: JudgeOptions = {}): Promise<Judgement> {
    const info = await client.getAnalyzerInfo();
    const configFile = options.configFile === undefined ? packConfigFile(client.directory, stack.stack) : options.configFile;
    const overlays = configFile !== null ? [loadPolicyConfigFile(configFile)] : [];
    const config = resolvePolicyConfig(info, ...overlays);
    await client.configure(config);
    await client.configureStack({ stack: stack.stack, project: stack.project, organization: LOCAL_ORGANIZATION, dryRun: stack.dryRun, tags: {} });
    const analyzeStart = performance.now();
    const perResource = await client.analyzeAll(resources);
    const stackStart = performance.now();
    const stackWide = await client.analyzeStack(resources);
    const end = performance.now();
    return { info, config, violations: [...perResource, ...stackWide], analyzeMs: stackStart - analyzeStart, analyzeStackMs: end - stackStart };
}

/**
 * The same resources judged again by a pack already configured for the stack, with another
 * `config` (the check judges once more without exemptions to learn what they silenced).
 */
export async function judgeAgain(client: PolicyPackClient, config: PolicyConfigMap, resources: readonly AnalyzedResource[]): Promise<Violation[]> {
    await client.configure(config);
    return [...(await client.analyzeAll(resources)), ...(await client.analyzeStack(resources))];
}
