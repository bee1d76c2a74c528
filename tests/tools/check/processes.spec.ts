/**
 * `npm run check` leaves no process behind — the policy pack, esbuild's service, anything the
 * program started — whether it finishes, fails, or is interrupted mid-run. The check runs as a
 * separate process; its descendants are read from /proc while it runs, and each one must be gone
 * (not even a zombie: PID 1 of a container may never reap it) the moment the check has exited.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { descendantProcessIds } from "../../../tools/check/child-processes";
import { THIS_PROJECT_ROOT } from "../../../tools/project";

interface Seen {
    pid: number;
    /** Start time in clock ticks (/proc/<pid>/stat field 22), to tell a reused PID from the same process. */
    started: string;
    command: string;
}

function stat(pid: number): { state: string; started: string } | undefined {
    try {
        const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
        return { state: fields[0], started: fields[19] };
    } catch {
        return undefined;
    }
}

function commandOf(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
        return "";
    }
}

/** The processes of `seen` still there (running or a zombie). */
function survivors(seen: Iterable<Seen>): string[] {
    return [...seen].filter((s) => stat(s.pid)?.started === s.started).map((s) => `${s.pid} (${stat(s.pid)?.state}) ${s.command}`);
}

/**
 * Runs the check with `args`; when `interruptWith` is given, sends it once the pack and esbuild
 * are both running. Resolves with the exit code and every descendant seen.
 */
function runCheck(args: string[], interruptWith?: NodeJS.Signals): Promise<{ code: number | null; seen: Seen[]; interrupted: boolean; stderr: string }> {
    const child = spawn(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), path.join(THIS_PROJECT_ROOT, "tools", "check.ts"), ...args], {
        cwd: THIS_PROJECT_ROOT,
        env: { ...process.env, TS_NODE_PROJECT: path.join(THIS_PROJECT_ROOT, "tsconfig.json") },
        stdio: ["ignore", "ignore", "pipe"],
    });
    const seen = new Map<number, Seen>();
    let interrupted = false;
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = setInterval(() => {
        for (const pid of descendantProcessIds(child.pid!)) {
            const started = stat(pid)?.started;
            // Read again each time: right after fork, before exec, a child still shows its parent's command.
            const command = commandOf(pid);
            if (started !== undefined && (seen.get(pid)?.started ?? started) === started && command !== "") {
                seen.set(pid, { pid, started, command });
            }
        }
        const commands = [...seen.values()].map((s) => s.command);
        if (interruptWith && !interrupted && commands.some((c) => c.includes("run-policy-pack")) && commands.some((c) => c.includes("esbuild"))) {
            interrupted = true;
            child.kill(interruptWith);
        }
    }, 25);
    return new Promise((resolve) => {
        child.on("exit", (code) => {
            clearInterval(poll);
            resolve({ code, seen: [...seen.values()], interrupted, stderr });
        });
    });
}

describe("npm run check leaves no process behind", function () {
    this.timeout(180_000);
    if (!fs.existsSync("/proc/self/task")) {
        it.skip("needs /proc (Linux) to see the check's descendants");
        return;
    }

    it("when it fails: the pack and esbuild are gone when it exits", async () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "processes-"));
        try {
            const config = path.join(directory, "strict.json");
            fs.writeFileSync(config, JSON.stringify({ "log-retention-required": { maxRetentionDays: 1 } }));
            const { code, seen, stderr } = await runCheck(["--stack", "dev", "--policy-pack-config", config]);
            assert.equal(code, 1, stderr);
            assert.ok(seen.some((s) => s.command.includes("run-policy-pack")), "the pack was seen running");
            assert.ok(seen.some((s) => s.command.includes("esbuild")), "esbuild's service was seen running");
            assert.deepEqual(survivors(seen), []);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });

    // SIGTERM takes the same path (exit 143); one interrupted run is enough to pay for here.
    for (const [signal, exitCode] of [["SIGINT", 130]] as const) {
        it(`when interrupted with ${signal} mid-run: it stops what it started, waits for it, and exits ${exitCode}`, async () => {
            const { code, seen, interrupted, stderr } = await runCheck(["--stack", "dev", "--preview"], signal);
            assert.ok(interrupted, `the check finished before the pack and esbuild were both seen: ${seen.map((s) => s.command).join("; ")}`);
            assert.equal(code, exitCode, stderr);
            assert.match(stderr, new RegExp(`check interrupted \\(${signal}\\)`));
            assert.deepEqual(survivors(seen), []);
        });
    }
});
