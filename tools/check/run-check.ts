/**
 * `npm run check`'s engine: a stack's program under Pulumi's mock runtime, judged by the real
 * policy pack driven over the analyzer protocol as `pulumi preview --policy-pack policies` drives
 * it. The program is this project's (`index.ts`, its config validated first) or, with `program`,
 * any Node.js Pulumi program's folder.
 */
import { ConfigError, parseStackConfig } from "../../config";
import { todayUtc } from "../../policies/lib/exemptions";
import type { FixedCostEstimate } from "../../policies/lib/fixed-cost";
import { PolicyPackClient, startPolicyPack, Violation } from "../analyzer";
import { RecordedResource, runProgram } from "../mock-runtime";
import { readPulumiProgram } from "../program/pulumi-program";
import { THIS_PROJECT_NAME, THIS_PROJECT_POLICY_PACK_DIR, THIS_PROJECT_ROOT } from "../project";
import { readStackConfig } from "../stack-files";
import { estimateRecorded } from "./cost";
import { ExemptionReport, exemptionReports, hasExemptions, silencedViolations, withoutExemptions } from "./exemption-status";
import { judge, judgeAgain, toAnalyzedResources } from "./judge";
import { locateResources, Location, RelatedLocation } from "./locations";

export interface CheckOptions {
    stack: string;
    /** Outputs of resources unknown, as in the first `pulumi preview` of a new stack. */
    preview?: boolean;
    /** This project's root holding `Pulumi.yaml` and the stack files (the program is always this project's `index.ts`). */
    root?: string;
    /** Another program's folder (`--program`): its `Pulumi.yaml`, `Pulumi.<stack>.yaml` and entry module. */
    program?: string;
    /**
     * A policy pack config file (`--policy-pack-config`), as the CLI takes it. Without it, this
     * project is judged with `policies/config.<stack>.json` and another program with the defaults.
     */
    policyPackConfig?: string;
    /** A started pack to judge with (left running); by default one is started and stopped. */
    client?: PolicyPackClient;
    /** A change to the recorded graph before it is judged (tests use it to break the program on purpose). */
    mutate?: (resources: RecordedResource[]) => RecordedResource[];
}

/** A violation with the place in the program that caused it. */
export interface LocatedViolation extends Violation {
    /** Where the resource was created, relative to the program's folder; absent for a stack-wide violation. */
    location?: Location;
    /** The calls on the way there and the enclosing components' creation. */
    related: RelatedLocation[];
}

/** An exemption with what it did; the violations it silenced located like the others. */
export interface LocatedExemptionReport extends Omit<ExemptionReport, "silenced"> {
    silenced: LocatedViolation[];
}

export interface CheckResult {
    stack: string;
    preview: boolean;
    /** The checked program: its folder and project name. */
    program: { root: string; name: string };
    resources: RecordedResource[];
    /** What the pack reported: the verdict (exempted violations are not here). */
    violations: LocatedViolation[];
    /** Every configured exemption with what it did. */
    exemptions: LocatedExemptionReport[];
    /** The pack's name and version, as it serves them. */
    policyPack: string;
    policyPackVersion: string;
    /** Policies the pack served, in its order, at the level they were configured with. */
    policies: { name: string; description: string; enforcementLevel: string }[];
    /** What the resources cost a month before any traffic: the estimate the stack-fixed-cost-budget policy judges. */
    cost: FixedCostEstimate;
}

/** The stack config failed validation: the loader's message says what and where. */
export class InvalidStackConfig extends Error {}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
    const preview = options.preview ?? false;
    const program = options.program ? readPulumiProgram(options.program) : undefined;
    const root = program?.root ?? options.root ?? THIS_PROJECT_ROOT;
    const projectName = program?.name ?? THIS_PROJECT_NAME;
    const stackConfig = readStackConfig(root, options.stack);
    if (!program) {
        try {
            parseStackConfig(stackConfig.config, options.stack);
        } catch (e) {
            if (e instanceof ConfigError) {
                throw new InvalidStackConfig(`Pulumi.${options.stack}.yaml: ${e.message}`);
            }
            throw e;
        }
    }
    // The pack boots while the program runs.
    const starting = options.client
        ? Promise.resolve(options.client)
        : startPolicyPack(THIS_PROJECT_POLICY_PACK_DIR, { stack: { stack: options.stack, project: projectName, dryRun: preview, config: stackConfig.config } });
    starting.catch(() => undefined);
    let client: PolicyPackClient | undefined;
    try {
        const run = await runProgram({
            stack: options.stack,
            config: stackConfig.config,
            secretKeys: stackConfig.secretKeys,
            preview,
            ...(program ? { program: program.entry, project: program.name, root: program.root } : {}),
        });
        const resources = options.mutate ? options.mutate(run.resources) : run.resources;
        client = await starting;
        const analyzed = toAnalyzedResources(resources);
        const judged = { stack: options.stack, project: projectName, dryRun: preview };
        const configFile = options.policyPackConfig ?? (program ? null : undefined);
        const { info, config, violations } = await judge(client, judged, analyzed, { configFile });
        const silenced = hasExemptions(config) ? silencedViolations(violations, await judgeAgain(client, withoutExemptions(config), analyzed)) : [];
        const exemptions = exemptionReports(
            info.policies.map((p) => p.name),
            config,
            silenced,
            todayUtc(),
        );

        const locations = locateResources(resources, program?.root ?? THIS_PROJECT_ROOT);
        const located = (v: Violation): LocatedViolation => {
            const found = v.urn ? locations.get(v.urn) : undefined;
            return found ? { ...v, location: found.location, related: found.related } : { ...v, related: [] };
        };
        return {
            stack: options.stack,
            preview,
            program: { root: program?.root ?? THIS_PROJECT_ROOT, name: projectName },
            resources,
            violations: violations.map(located),
            exemptions: exemptions.map((e) => ({ ...e, silenced: e.silenced.map(located) })),
            policyPack: info.name,
            policyPackVersion: info.version,
            policies: info.policies.map((p) => ({ name: p.name, description: p.description, enforcementLevel: config[p.name]?.enforcementLevel ?? p.enforcementLevel })),
            cost: estimateRecorded(resources),
        };
    } finally {
        if (!options.client) {
            client = client ?? (await starting.catch(() => undefined));
            await client?.close();
        }
    }
}
