/**
 * Leaves no process behind. A check starts the policy pack, and the program it runs may start more:
 * this project's program bundles the Lambda code with esbuild, whose service process outlives the
 * build. A process still running when the check exits is re-parented to PID 1 (which, in a
 * container, may never reap it: a zombie forever) or keeps running on its own. So before the check
 * exits — done, failed or interrupted — esbuild's service is stopped the documented way
 * (`stop()`), every remaining child gets SIGTERM (SIGKILL after a grace period), and the check
 * waits until each one has exited and been reaped by this process.
 *
 * Children are read from `/proc` (Linux, where CI runs); elsewhere only esbuild's `stop()` applies.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The process IDs of this process's children (any thread's), from `/proc`; empty where there is none. */
export function childProcessIds(pid: number | "self" = "self"): number[] {
    const ids = new Set<number>();
    try {
        for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
            const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
            for (const child of children === "" ? [] : children.split(/\s+/)) {
                ids.add(Number(child));
            }
        }
    } catch {
        // No /proc here, or the process is gone.
    }
    return [...ids];
}

/** Every descendant of `pid` (children, their children, …), from `/proc`. */
export function descendantProcessIds(pid: number): number[] {
    const found: number[] = [];
    const pending = [pid];
    while (pending.length > 0) {
        for (const child of childProcessIds(pending.pop()!)) {
            if (!found.includes(child)) {
                found.push(child);
                pending.push(child);
            }
        }
    }
    return found;
}

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Calls `stop()` on every esbuild this process has loaded (it ends esbuild's service process). */
export async function stopEsbuild(): Promise<void> {
    const loaded = Object.keys(require.cache).filter((file) => file.endsWith(`${path.sep}esbuild${path.sep}lib${path.sep}main.js`));
    for (const file of loaded) {
        const esbuild = require.cache[file]?.exports as { stop?: () => Promise<void> | void } | undefined;
        try {
            await esbuild?.stop?.();
        } catch {
            // Stopping is best effort; the sweep below ends the process anyway.
        }
    }
}

/**
 * Stops esbuild, then every child process still there: SIGTERM, SIGKILL after `graceMs`; resolves
 * once none is left (exited and reaped, so none lingers as a zombie).
 */
export async function stopChildProcesses(graceMs = 2_000): Promise<void> {
    await stopEsbuild();
    const terminated = new Set<number>();
    const deadline = Date.now() + graceMs;
    for (let children = childProcessIds(); children.length > 0; children = childProcessIds()) {
        for (const child of children) {
            const signal = Date.now() < deadline ? "SIGTERM" : "SIGKILL";
            if (signal === "SIGKILL" || !terminated.has(child)) {
                try {
                    process.kill(child, signal);
                } catch {
                    // Already gone.
                }
                terminated.add(child);
            }
        }
        if (Date.now() > deadline + graceMs) {
            return; // Not reaped even after SIGKILL: nothing more this process can do.
        }
        await delay(20);
    }
}
