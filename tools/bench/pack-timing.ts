/**
 * One timed judgement of a stack by a policy pack: `judge` (`tools/check/judge.ts`), the calls
 * `npm run check` makes, on the same client.
 *
 * Each run starts a fresh pack process, as every `pulumi preview` does, so no run profits from
 * the JIT warmed by the one before. The pack's start (spawn → port, the same whatever the stack's
 * size) is kept out of `ms` and reported on its own: it would hide how the judging grows with the
 * stack.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { AnalyzedResource, startPolicyPack, Violation } from "../analyzer";
import { judge } from "../check/judge";
import { THIS_PROJECT_NAME } from "../project";

/** One policy that checks nothing (`null-pack/index.js`): the floor the real pack is compared with. */
export const NULL_PACK_DIR = path.join(__dirname, "null-pack");

export interface PackRun {
    /** GetAnalyzerInfo through AnalyzeStack, on a started pack. */
    ms: number;
    /** Of `ms`: every Analyze call. */
    analyzeMs: number;
    /** Of `ms`: the one AnalyzeStack call. */
    analyzeStackMs: number;
    /** Spawn → port printed. */
    startupMs: number;
    /**
     * CPU the pack process spent during `ms` (user + system, from /proc; undefined elsewhere).
     * Unlike `ms`, it leaves out this client's work and the waits for a core on a shared machine.
     */
    packCpuMs?: number;
    /** CPU this (the client's) process spent during `ms`: building and reading the protobuf messages. */
    clientCpuMs: number;
    violations: Violation[];
}

export interface PackRunOptions {
    stack: string;
    dryRun: boolean;
    /** Extra environment for the pack process (the profiler's `NODE_OPTIONS`). */
    env?: Record<string, string | undefined>;
}

export async function timePack(packDir: string, resources: readonly AnalyzedResource[], options: PackRunOptions): Promise<PackRun> {
    const stack = { stack: options.stack, project: THIS_PROJECT_NAME, dryRun: options.dryRun };
    const client = await startPolicyPack(packDir, { env: options.env, stack });
    try {
        const packCpuBefore = processCpuMs(client.pid);
        const clientCpuBefore = process.cpuUsage();
        const start = performance.now();
        const judgement = await judge(client, stack, resources);
        const ms = performance.now() - start;
        const clientCpu = process.cpuUsage(clientCpuBefore);
        const packCpuAfter = processCpuMs(client.pid);
        return {
            ms,
            analyzeMs: judgement.analyzeMs,
            analyzeStackMs: judgement.analyzeStackMs,
            startupMs: client.startupMs,
            packCpuMs: packCpuBefore !== undefined && packCpuAfter !== undefined ? packCpuAfter - packCpuBefore : undefined,
            clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
            violations: judgement.violations,
        };
    } finally {
        await client.close();
    }
}

let ticksPerSecond: number | undefined;

/** User + system CPU of a process so far, from /proc/<pid>/stat (Linux); undefined where there is none. */
function processCpuMs(pid: number): number | undefined {
    let stat: string;
    try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    // Fields after the command name (which is in parentheses and may hold spaces): state is the
    // 3rd field of the file, utime the 14th and stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (ticksPerSecond === undefined) {
        try {
            ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
        } catch {
            ticksPerSecond = 100; // the Linux default
        }
    }
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
