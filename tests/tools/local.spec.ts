/**
 * `npm run local` as a user runs it: the command line, the `--json` document alone on stdout, the
 * exit codes, and Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while the
 * consumers run — after which no process of the run is left and no file was written. The two
 * runs of the command go side by side.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main, parseLocalArgs } from "../../tools/local";
import { NOT_MODELLED } from "../../tools/local/not-modelled";
import { THIS_PROJECT_ROOT } from "../../tools/project";

interface Finished {
    code: number | null;
    stdout: string;
    stderr: string;
    /** Every process that descended from the command while it ran, by pid. */
    descendants: Map<number, ProcessId>;
    tmpdir: string;
}

/** A process, told apart from a later one that reuses its pid by its start time. */
interface ProcessId {
    pid: number;
    started: string;
    command: string;
}

/** Parent pid and start time of a process, from /proc (Linux); undefined once it has ended. */
function stat(pid: number): { parent: number; started: string; state: string } | undefined {
    try {
        const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // The fields after the command name, which is in parentheses and may contain spaces.
        const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
        return { state: fields[0], parent: Number(fields[1]), started: fields[19] };
    } catch {
        return undefined;
    }
}

function descendantsOf(root: number): ProcessId[] {
    const all = fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .map((entry) => ({ pid: Number(entry), stat: stat(Number(entry)) }));
    const found: ProcessId[] = [];
    const queue = [root];
    while (queue.length > 0) {
        const parent = queue.shift()!;
        for (const { pid, stat: s } of all) {
            if (s?.parent === parent) {
                let command = "";
                try {
                    command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, 3).join(" ");
                } catch {
                    // ended meanwhile
                }
                found.push({ pid, started: s.started, command });
                queue.push(pid);
            }
        }
    }
    return found;
}

/**
 * Still running: the same process (not a later one with its pid), and not a zombie — an ended
 * process whose exit status nobody has collected yet, which is up to the machine's init once its
 * parent has exited (in some containers init never collects them).
 */
function alive(process: ProcessId): boolean {
    const now = stat(process.pid);
    return now?.started === process.started && now.state !== "Z";
}

/** The command in its own process group, with its own empty TMPDIR; `onStderr` may act on progress. */
function runCommand(args: string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<Finished> {
    const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "local-run-spec-"));
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/local.ts", ...args], {
        cwd: THIS_PROJECT_ROOT,
        env: { ...process.env, TMPDIR: tmpdir },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const descendants = new Map<number, ProcessId>();
    const watch = setInterval(() => descendantsOf(child.pid!).forEach((found) => descendants.set(found.pid, found)), 100);
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        onStderr?.(stderr, child);
    });
    return new Promise((resolve) =>
        child.on("close", (code) => {
            clearInterval(watch);
            resolve({ code, stdout, stderr, descendants, tmpdir });
        }),
    );
}

function gitStatus(): string {
    return execFileSync("git", ["status", "--porcelain"], { cwd: THIS_PROJECT_ROOT, encoding: "utf8" });
}

describe("tools/local: npm run local", () => {
    describe("the command line", () => {
        it("takes --stack and the three counts, with the documented defaults", () => {
            assert.deepEqual(parseLocalArgs(["--stack", "dev"]), { stack: "dev", events: 20, duplicates: 2, poison: 1, json: false });
            assert.deepEqual(parseLocalArgs(["--stack", "prod", "--events", "5", "--duplicates", "0", "--poison", "3", "--json"]), {
                stack: "prod",
                events: 5,
                duplicates: 0,
                poison: 3,
                json: true,
            });
            assert.equal(parseLocalArgs(["--help"]), "help");
        });

        async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
            let stdout = "";
            let stderr = "";
            const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), signals: new EventEmitter() });
            return { code, stdout, stderr };
        }

        it("refuses bad usage with exit 2, saying what is wrong and how to call it, before anything starts", async () => {
            for (const [argv, says] of [
                [[], /--stack is required/],
                [["--stack", "dev", "--events", "many"], /--events must be a whole number \(got "many"\)/],
                [["--stack", "dev", "--colour", "red"], /Unknown option '--colour'/],
                [["--stack", "dev", "--events", "2", "--duplicates", "3"], /--duplicates must be a whole number from 0 to the number of events, 2 \(got 3\)/],
                [["--stack", "dev", "--events", "0"], /--events must be a whole number from 1 to 1000/],
            ] as [string[], RegExp][]) {
                const { code, stdout, stderr } = await run(argv);
                assert.equal(code, 2, argv.join(" "));
                assert.equal(stdout, "");
                assert.match(stderr, says);
                assert.match(stderr, /usage: npm run local -- --stack <name>/);
                assert.doesNotMatch(stderr, /\bat .*\.ts:\d+/, "no stack trace");
            }
        });

        it("refuses an unknown stack with exit 1, listing the stacks there are", async () => {
            const { code, stderr } = await run(["--stack", "staging"]);
            assert.equal(code, 1);
            assert.match(stderr, /No stack "staging": Pulumi\.staging\.yaml does not exist\. Stacks here: dev, prod\./);
        });
    });

    describe("the README", () => {
        const readme = () => fs.readFileSync(path.join(THIS_PROJECT_ROOT, "README.md"), "utf8");

        it("shows npm run local -- --stack dev in the quick start, after the check", () => {
            const quickStart = readme().split(/^## Quick start$/m)[1]?.split(/^## /m)[0] ?? "";
            const check = quickStart.indexOf("npm run check -- --stack dev");
            const local = quickStart.indexOf("npm run local -- --stack dev");
            assert.ok(check >= 0 && local > check, "npm run local -- --stack dev after the check");
        });

        it("lists what the emulators do not model, as the run prints it", () => {
            const text = readme().replace(/\s+/g, " ");
            for (const item of NOT_MODELLED) {
                assert.ok(text.includes(`- ${item}`), `README lacks: ${item}`);
            }
        });
    });

    describe("a real run of the command", () => {
        let finished: Finished;
        let interrupted: Finished;
        let statusBefore: string;

        before(async function () {
            if (!fs.existsSync("/proc/self/stat")) {
                this.skip(); // the process checks read /proc (Linux, as CI)
            }
            this.timeout(120_000);
            statusBefore = gitStatus();
            let signalled = false;
            [finished, interrupted] = await Promise.all([
                runCommand(["--stack", "dev", "--events", "3", "--duplicates", "1", "--poison", "0", "--json"]),
                runCommand(["--stack", "dev", "--events", "3", "--poison", "1"], (stderr, child) => {
                    if (!signalled && /Consumers running/.test(stderr)) {
                        signalled = true;
                        // Ctrl-C: the terminal signals the whole foreground process group.
                        process.kill(-child.pid!, "SIGINT");
                    }
                }),
            ]);
        });

        after(() => {
            for (const run of [finished, interrupted].filter(Boolean)) {
                fs.rmSync(run.tmpdir, { recursive: true, force: true });
            }
        });

        it("with --json, prints one JSON document of the documented shape on stdout, and exits 0 on pass", () => {
            assert.equal(finished.code, 0, finished.stderr);
            const document = JSON.parse(finished.stdout) as Record<string, unknown>;
            assert.deepEqual(Object.keys(document), ["stack", "verdict", "problems", "events", "consumers"]);
            assert.equal(document.stack, "dev");
            assert.equal(document.verdict, "pass");
            assert.deepEqual(document.problems, []);
            assert.equal((document.events as unknown[]).length, 3);
            const consumers = document.consumers as Record<string, unknown>[];
            assert.deepEqual(
                consumers.map((c) => Object.keys(c)),
                consumers.map(() => ["name", "kind", "received", "processed", "duplicatesSkipped", "deadLetterQueue"]),
            );
            assert.deepEqual(
                consumers.map((c) => [c.name, c.kind, c.processed, c.duplicatesSkipped, c.deadLetterQueue]),
                [
                    ["order-audit", "lambda", 3, 1, { name: "order-audit-dlq-6f5d680", messages: 0 }],
                    ["order-fulfilment", "ecs", 2, 1, { name: "order-fulfilment-dlq-a0a0747", messages: 0 }],
                ],
            );
            // Everything else went to stderr: the scaled times, the consumers' logs, what is not modelled.
            assert.match(finished.stderr, /Times scaled down 60:1/);
            assert.match(finished.stderr, /\[order-fulfilment\] \{"level":"INFO","message":"Worker started"/);
            assert.match(finished.stderr, /Not modelled here:\n {2}- IAM:/);
        });

        it("on Ctrl-C while the consumers run, stops everything it started and exits 130", () => {
            assert.equal(interrupted.code, 130, interrupted.stderr);
            assert.match(interrupted.stderr, /Interrupted: stopping the consumers and the emulators/);
            assert.match(interrupted.stderr, /everything it started has been stopped/);
            assert.equal(interrupted.stdout, "");
        });

        it("leaves no process behind, on success or on Ctrl-C", () => {
            for (const run of [finished, interrupted]) {
                assert.ok(run.descendants.size > 0, "the run's Lambda execution environment was seen");
                assert.deepEqual([...run.descendants.values()].filter(alive), []);
            }
        });

        it("leaves no file behind: its temporary directory is empty and the working tree unchanged", () => {
            for (const run of [finished, interrupted]) {
                // ts-node's compile cache, which it creates for every npm script of the project, is not the run's.
                assert.deepEqual(fs.readdirSync(run.tmpdir).filter((file) => !file.startsWith("v8-compile-cache-")), []);
            }
            assert.equal(gitStatus(), statusBefore);
        });
    });
});
