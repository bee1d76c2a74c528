/**
 * `npm run check`'s engine: the stack's program under Pulumi's mock runtime, judged by the real
 * policy pack driven over the analyzer protocol as `pulumi preview --policy-pack policies` drives it.
 */
import { ConfigError, parseStackConfig } from "../../config";
import { PolicyPackClient, startPolicyPack, Violation } from "../analyzer";
import { RecordedResource, runProgram } from "../mock-runtime";
import { THIS_PROJECT_NAME, THIS_PROJECT_POLICY_PACK_DIR, THIS_PROJECT_ROOT } from "../project";
import { readStackConfig } from "../stack-files";
import { judge, toAnalyzedResources } from "./judge";

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
    /** The pack's name, as it serves it. */
    policyPack: string;
    /** Policies the pack served, in its order. */
    policies: { name: string; enforcementLevel: string }[];
}

/** The stack config failed validation: the loader's message says what and where. */
export class InvalidStackConfig extends Error {}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
    const root = options.root ?? THIS_PROJECT_ROOT;
    const preview = options.preview ?? false;
    const stackConfig = readStackConfig(root, options.stack);
    try {
        parseStackConfig(stackConfig.config, options.stack);
    } catch (e) {
        if (e instanceof ConfigError) {
            throw new InvalidStackConfig(`Pulumi.${options.stack}.yaml: ${e.message}`);
        }
        throw e;
    }
    // The pack boots while the program runs.
    const starting = startPolicyPack(THIS_PROJECT_POLICY_PACK_DIR, {
        stack: { stack: options.stack, project: THIS_PROJECT_NAME, dryRun: preview, config: stackConfig.config },
    });
    starting.catch(() => undefined);
    let client: PolicyPackClient | undefined;
    try {
        const run = await runProgram({ stack: options.stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys, preview });
        const resources = options.mutate ? options.mutate(run.resources) : run.resources;
        client = await starting;
        const { info, violations } = await judge(client, { stack: options.stack, project: THIS_PROJECT_NAME, dryRun: preview }, toAnalyzedResources(resources));
        return {
            stack: options.stack,
            preview,
            resources,
            violations,
            policyPack: info.name,
            policies: info.policies.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel })),
        };
    } finally {
        client = client ?? (await starting.catch(() => undefined));
        await client?.close();
    }
}
