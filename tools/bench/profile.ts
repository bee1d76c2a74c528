/**
 * Reads a V8 CPU profile (`node --cpu-prof`, a `.cpuprofile` file) of a policy pack and says where
 * its time went: self time by area (each policy file, `policies/lib/*`, the policy SDK's server,
 * protobuf, gRPC, GC, idle), each policy's inclusive time (everything that ran under one of its
 * functions, the helpers of `policies/lib` and the SDK's proxy included), the busiest functions,
 * and the inclusive time of the SDK's and the pack's functions (deserializing a resource's
 * properties, `notApplicable`, indexing a stack), which shows what each step of judging costs.
 *
 *     npx ts-node --transpile-only tools/bench/profile.ts <file.cpuprofile>
 */
import * as fs from "node:fs";

interface CallFrame {
    functionName: string;
    url: string;
    lineNumber: number;
}

interface ProfileNode {
    id: number;
    callFrame: CallFrame;
    children?: number[];
}

interface CpuProfile {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
    timeDeltas: number[];
}

export interface Share {
    label: string;
    ms: number;
    /** Of the profile's whole duration, idle included. */
    percent: number;
}

export interface ProfileSummary {
    file: string;
    totalMs: number;
    /** Time not idle: what the process spent working. */
    busyMs: number;
    byArea: Share[];
    byPolicy: Share[];
    topFunctions: Share[];
    /** Inclusive time of the policy SDK's and the pack's own functions: which step of judging costs what. */
    packSteps: Share[];
}

/** `policies/bin/<category>/<policy>.js` (not `lib/`), as a policy's name. */
function policyOf(url: string): string | undefined {
    const match = /\/policies\/bin\/([^/]+)\/([^/]+)\.js$/.exec(url);
    return match && match[1] !== "lib" && match[1] !== "scripts" ? match[2] : undefined;
}

function areaOf(frame: CallFrame): string {
    const { url, functionName } = frame;
    if (url === "") {
        // V8's pseudo-frames: (garbage collector), (idle), (program), (root).
        return functionName.startsWith("(") ? functionName : "(native)";
    }
    const lib = /\/policies\/bin\/lib\/([^/]+)\.js$/.exec(url);
    if (lib) {
        return `policies/lib/${lib[1]}`;
    }
    const policy = policyOf(url);
    if (policy) {
        return `policy ${policy}`;
    }
    if (url.includes("/node_modules/@pulumi/policy/")) {
        return `@pulumi/policy/${url.split("/node_modules/@pulumi/policy/")[1]}`;
    }
    if (url.includes("/node_modules/@pulumi/pulumi/")) {
        return `@pulumi/pulumi/${url.split("/node_modules/@pulumi/pulumi/")[1].split("/")[0]}`;
    }
    if (url.includes("/node_modules/google-protobuf/")) {
        return "google-protobuf";
    }
    if (url.includes("/node_modules/@grpc/")) {
        return "@grpc/grpc-js";
    }
    if (url.startsWith("node:")) {
        return "node internals";
    }
    const module = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return module ? module[1] : url;
}

function shares(totals: Map<string, number>, totalMs: number, limit: number): Share[] {
    return [...totals]
        .sort((a, b) => b[1] - a[1])
        .slice(0, limit)
        .map(([label, ms]) => ({ label, ms: Math.round(ms), percent: Math.round((1000 * ms) / totalMs) / 10 }));
}

function add<K>(map: Map<K, number>, key: K, ms: number): void {
    map.set(key, (map.get(key) ?? 0) + ms);
}

function functionLabel(frame: CallFrame): string {
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|policies\/bin)\//, "")}:${frame.lineNumber + 1}` : "";
    return `${frame.functionName || "(anonymous)"} ${where}`.trim();
}

function isPackOrSdk(url: string): boolean {
    return url.includes("/node_modules/@pulumi/policy/") || url.includes("/policies/bin/");
}

export function summarizeProfile(file: string, limit = 15): ProfileSummary {
    const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of profile.nodes) {
        for (const child of node.children ?? []) {
            parents.set(child, node.id);
        }
    }
    // Each sample's duration is the gap to the next one (V8 stores the gap before each sample).
    const selfMs = new Map<number, number>();
    for (let i = 0; i < profile.samples.length; i++) {
        const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
        add(selfMs, profile.samples[i], ms);
    }
    const totalMs = (profile.endTime - profile.startTime) / 1000;
    const byArea = new Map<string, number>();
    const byPolicy = new Map<string, number>();
    const byFunction = new Map<string, number>();
    const bySteps = new Map<string, number>();
    const policyCache = new Map<number, string | undefined>();
    // The innermost policy file on the node's stack, if any: the policy that caused this work.
    const owningPolicy = (id: number): string | undefined => {
        if (policyCache.has(id)) {
            return policyCache.get(id);
        }
        const node = nodes.get(id)!;
        const parent = parents.get(id);
        const owner = policyOf(node.callFrame.url) ?? (parent === undefined ? undefined : owningPolicy(parent));
        policyCache.set(id, owner);
        return owner;
    };
    let idleMs = 0;
    for (const [id, ms] of selfMs) {
        const frame = nodes.get(id)!.callFrame;
        const area = areaOf(frame);
        if (area === "(idle)") {
            idleMs += ms;
        }
        add(byArea, area, ms);
        const policy = owningPolicy(id);
        if (policy) {
            add(byPolicy, policy, ms);
        }
        add(byFunction, functionLabel(frame), ms);
        // Each function on the stack once (recursion would count a sample twice).
        const onStack = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
            const caller = nodes.get(at)!.callFrame;
            if (isPackOrSdk(caller.url)) {
                onStack.add(functionLabel(caller));
            }
        }
        for (const label of onStack) {
            add(bySteps, label, ms);
        }
    }
    return {
        file,
        totalMs: Math.round(totalMs),
        busyMs: Math.round(totalMs - idleMs),
        byArea: shares(byArea, totalMs, limit),
        byPolicy: shares(byPolicy, totalMs, limit),
        topFunctions: shares(byFunction, totalMs, limit),
        packSteps: shares(bySteps, totalMs, limit),
    };
}

export function formatProfile(summary: ProfileSummary): string {
    const lines = [`${summary.file}: ${summary.totalMs} ms profiled, ${summary.busyMs} ms busy`];
    const section = (title: string, rows: Share[]) => {
        lines.push(`  ${title}`);
        for (const row of rows) {
            lines.push(`    ${String(row.ms).padStart(7)} ms ${row.percent.toFixed(1).padStart(5)} %  ${row.label}`);
        }
    };
    section("self time by area", summary.byArea);
    section("inclusive time per policy", summary.byPolicy);
    section("self time by function", summary.topFunctions);
    section("inclusive time of the policy SDK's and the pack's functions", summary.packSteps);
    return lines.join("\n");
}

if (require.main === module) {
    const files = process.argv.slice(2);
    if (files.length === 0) {
        process.stderr.write("usage: npx ts-node --transpile-only tools/bench/profile.ts <file.cpuprofile>...\n");
        process.exit(2);
    }
    for (const file of files) {
        process.stdout.write(`${formatProfile(summarizeProfile(file))}\n`);
    }
}
