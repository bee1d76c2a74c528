/**
 * Latency of `npm run check` as a user sees it: the real command spawned from the project root,
 * timed from spawn to exit — npm, ts-node, loading `@pulumi/aws`, running the program under mocks,
 * starting the pack and judging the stack. In-process `runCheck` calls would leave out the
 * module loading that dominates a cold start, and reuse the JIT of earlier calls.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { THIS_PROJECT_ROOT } from "../project";
import { median } from "./stats";

export interface CheckLatency {
    /** The command that was timed. */
    command: string;
    medianMs: number;
    samplesMs: number[];
    /** Resources the check judged and the mandatory violations it found (from its `--json` report). */
    resources: number;
    mandatoryViolations: number;
}

interface CheckReport {
    resources: unknown[];
    violations: { enforcementLevel: string }[];
}

function runOnce(args: string[]): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn("npm", args, { cwd: THIS_PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.once("error", reject);
        child.once("close", (code) => resolve({ ms: performance.now() - start, code, stdout, stderr }));
    });
}

/** `runs` sequential runs of `npm run check -- --stack <stack> --json`. */
export async function measureCheck(stack: string, runs: number): Promise<CheckLatency> {
    const args = ["run", "--silent", "check", "--", "--stack", stack, "--json"];
    const samplesMs: number[] = [];
    let report: CheckReport | undefined;
    for (let i = 0; i < runs; i++) {
        const run = await runOnce(args);
        // Exit 1 with a report is a stack that fails its policies: still a latency, and the
        // report says so. Anything else is a broken command, not a measurement.
        try {
            report = JSON.parse(run.stdout) as CheckReport;
        } catch {
            throw new Error(`npm ${args.join(" ")} exited ${run.code} without a JSON report:\n${run.stderr.trim().split("\n").slice(-20).join("\n")}`);
        }
        samplesMs.push(run.ms);
    }
    return {
        command: `npm ${args.join(" ")}`,
        medianMs: Math.round(median(samplesMs)),
        samplesMs: samplesMs.map((ms) => Math.round(ms)),
        resources: report?.resources.length ?? 0,
        mandatoryViolations: report?.violations.filter((v) => v.enforcementLevel === "mandatory").length ?? 0,
    };
}
