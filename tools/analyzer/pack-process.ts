/**
 * The policy pack's process, started as the CLI's `pulumi-analyzer-policy` plugin starts it:
 * resolve `@pulumi/pulumi/cmd/run-policy-pack` from the pack's folder, run it with Node in that
 * folder as `<engine-address> .` (plus the runtime options of PulumiPolicy.yaml), and read the
 * port from the first line of its stdout. What the pack writes afterwards is kept for messages.
 *
 * The engine address: the runner drops it (`run-policy-pack/index.js` shifts it off argv) and
 * nothing in `@pulumi/pulumi` 3.248 / `@pulumi/policy` 1.21 reads it; the pack's logs go to its
 * stdout because `PULUMI_NODEJS_ENGINE` is unset, as under the CLI, which never sets it for
 * analyzers. So no Engine server is started; a test fails if the runner starts using the address.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import { PolicyProject, readPolicyProject } from "./policy-project";
import { PolicyPackError } from "./types";

/** Placeholder for the `<engine-address>` argument, which the runner discards (see above). */
const UNUSED_ENGINE_ADDRESS = "127.0.0.1:0";
const EXIT_WITH_CLIENT = path.join(__dirname, "exit-with-client.js");
const OUTPUT_LINES_KEPT = 500;
/** Long enough for a TypeScript pack, which compiles before it prints its port. */
const DEFAULT_START_TIMEOUT_MS = 30_000;
/** How long a pack may take to exit after SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 3_000;

export interface StackEnvironment {
    stack: string;
    project: string;
    organization?: string;
    dryRun?: boolean;
    /** Stack config as the CLI passes it in `PULUMI_CONFIG` (`"<project>:<key>": "<value>"`). */
    config?: Record<string, string>;
}

export interface PackProcessOptions {
    /** How long the pack may take to print its port (default `DEFAULT_START_TIMEOUT_MS`). */
    startTimeoutMs?: number;
    /** Sets the variables the CLI gives a pack (`PULUMI_NODEJS_STACK`, …) so `pulumi.getStack()` works in it. */
    stack?: StackEnvironment;
    /** Extra environment for the pack process. */
    env?: Record<string, string | undefined>;
    /** Every line the pack writes after its port (the CLI shows these as diagnostics). */
    onOutput?: (line: string, stream: "stdout" | "stderr") => void;
}

/** Packs still running; killed when this process exits, so a forgotten close() leaves none behind. */
const runningPacks = new Set<ChildProcess>();
let exitHookInstalled = false;

function killWhenThisProcessExits(child: ChildProcess): void {
    runningPacks.add(child);
    child.once("exit", () => runningPacks.delete(child));
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on("exit", () => {
            for (const pack of runningPacks) {
                pack.kill("SIGKILL");
            }
        });
    }
}

/** The last lines a stream wrote, for error messages and `output()`. */
class LineTail {
    readonly lines: string[] = [];
    private partial = "";

    constructor(private readonly onLine?: (line: string) => void) {}

    write(chunk: string): void {
        const parts = (this.partial + chunk).split("\n");
        this.partial = parts.pop() ?? "";
        for (const line of parts) {
            this.push(line.replace(/\r$/, ""));
        }
    }

    flush(): void {
        if (this.partial !== "") {
            this.push(this.partial);
            this.partial = "";
        }
    }

    text(maxLines = 40): string {
        return this.lines.slice(-maxLines).join("\n").trim();
    }

    private push(line: string): void {
        this.lines.push(line);
        if (this.lines.length > OUTPUT_LINES_KEPT) {
            this.lines.shift();
        }
        this.onLine?.(line);
    }
}

function packEnvironment(options: PackProcessOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    // The CLI's own environment never holds these; inherited from a Pulumi program they would
    // send the pack's logs to an engine that is not ours.
    delete env["PULUMI_NODEJS_ENGINE"];
    delete env["PULUMI_NODEJS_MONITOR"];
    const stack = options.stack;
    if (stack) {
        const set = (key: string, value: string | undefined) => {
            if (value) {
                env[`PULUMI_NODEJS_${key}`] = value;
                env[`PULUMI_${key}`] = value;
            }
        };
        set("ORGANIZATION", stack.organization);
        set("PROJECT", stack.project);
        set("STACK", stack.stack);
        set("DRY_RUN", String(stack.dryRun ?? true));
        if (stack.config && Object.keys(stack.config).length > 0) {
            env["PULUMI_CONFIG"] = JSON.stringify(stack.config);
        }
    }
    return env;
}

function parsePort(line: string): number | undefined {
    const trimmed = line.trim();
    const port = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    return port > 0 && port <= 65535 ? port : undefined;
}

/** A duration for messages: `30 s`, `2.5 s`. */
export function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** A started pack that printed its port. */
export class PackProcess {
    constructor(
        /** Where the pack runs from. */
        readonly directory: string,
        readonly project: PolicyProject,
        readonly port: number,
        /** Milliseconds from spawn to the port printed. */
        readonly startupMs: number,
        private readonly child: ChildProcess,
        private readonly closed: Promise<void>,
        private readonly stdout: LineTail,
        private readonly stderr: LineTail,
    ) {}

    get pid(): number {
        return this.child.pid!;
    }

    /** How the process ended (`SIGKILL`, `code 1`); undefined while it runs. */
    get exitStatus(): string | undefined {
        const { exitCode, signalCode } = this.child;
        return exitCode === null && signalCode === null ? undefined : (signalCode ?? `code ${exitCode}`);
    }

    /** Lines the pack wrote after its port (stdout and stderr), the last few hundred. */
    output(): { stdout: string[]; stderr: string[] } {
        return { stdout: [...this.stdout.lines], stderr: [...this.stderr.lines] };
    }

    /** The last lines of the pack's stderr, for an error message. */
    stderrText(): string {
        return this.stderr.text();
    }

    /** Waits up to `ms` for the process to be gone; true when it is. */
    waitForExit(ms: number): Promise<boolean> {
        return Promise.race([this.closed.then(() => true), delay(ms).then(() => false)]);
    }

    /** Lets the caller's process exit while the pack runs (the exit hook then stops the pack). */
    unref(): void {
        this.child.unref();
        for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
            (stream as unknown as { unref?: () => void } | null)?.unref?.();
        }
    }

    /** SIGTERM, then SIGKILL if it is still there after `STOP_GRACE_MS`; resolves when the process is gone. */
    async stop(): Promise<void> {
        this.child.ref(); // so an awaited stop() really waits for the process to be gone
        if (this.exitStatus === undefined) {
            this.child.kill("SIGTERM");
            if (!(await this.waitForExit(STOP_GRACE_MS))) {
                this.child.kill("SIGKILL");
            }
        }
        await this.closed;
    }

    /** Kills the process and fails with `message` and what the pack wrote to stderr. */
    async stopAndFail(message: string): Promise<never> {
        return stopAndFail(this.child, this.closed, this.stderr, message);
    }
}

async function stopAndFail(child: ChildProcess, closed: Promise<void>, stderr: LineTail, message: string): Promise<never> {
    if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
    }
    await closed;
    const said = stderr.text();
    throw new PolicyPackError(said ? `${message}\n${said}` : message);
}

/**
 * Starts the pack in `packDir` and waits for its port. Fails with a `PolicyPackError` saying why
 * (the pack's stderr when it exits, what it printed instead of a port, or that no port came in
 * time); the process is gone by then.
 */
export async function startPackProcess(packDir: string, options: PackProcessOptions = {}): Promise<PackProcess> {
    const directory = path.resolve(packDir);
    const project = readPolicyProject(directory);
    let runner: string;
    try {
        runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [directory] });
    } catch {
        throw new PolicyPackError(
            `cannot find @pulumi/pulumi/cmd/run-policy-pack from ${directory}: the policy pack's dependencies are not installed (run npm install)`,
        );
    }

    const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, ["--require", EXIT_WITH_CLIENT, runner, UNUSED_ENGINE_ADDRESS, ".", ...project.runtimeArgs], {
        cwd: directory,
        env: packEnvironment(options),
        stdio: ["pipe", "pipe", "pipe"],
    });
    killWhenThisProcessExits(child);
    const stdout = new LineTail((line) => options.onOutput?.(line, "stdout"));
    const stderr = new LineTail((line) => options.onOutput?.(line, "stderr"));
    const closed = new Promise<void>((resolve) =>
        child.once("close", () => {
            stdout.flush();
            stderr.flush();
            resolve();
        }),
    );
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => stderr.write(chunk));
    child.stdin!.on("error", () => undefined); // the pack may be gone before we close its stdin

    const portLine = await new Promise<string | Error>((resolve) => {
        let firstLine = "";
        const onData = (chunk: string) => {
            const newline = chunk.indexOf("\n");
            if (newline < 0) {
                firstLine += chunk;
                return;
            }
            firstLine += chunk.slice(0, newline);
            finish(firstLine);
            // Whatever follows the port is the pack's output; keep reading it so its pipe never fills.
            stdout.write(chunk.slice(newline + 1));
            child.stdout!.on("data", (more: string) => stdout.write(more));
        };
        const onClose = (code: number | null, signal: NodeJS.Signals | null) =>
            finish(new Error(`the policy pack in ${directory} exited (${signal ?? `code ${code}`}) before printing its port`));
        const onError = (e: Error) => finish(new Error(`cannot run ${process.execPath} for the policy pack in ${directory}: ${e.message}`));
        const timer = setTimeout(
            () => finish(new Error(`the policy pack in ${directory} did not print its port within ${seconds(startTimeoutMs)}`)),
            startTimeoutMs,
        );
        const finish = (result: string | Error) => {
            clearTimeout(timer);
            child.stdout!.off("data", onData);
            child.off("close", onClose);
            child.off("error", onError);
            resolve(result);
        };
        child.stdout!.on("data", onData);
        child.once("close", onClose);
        child.once("error", onError);
    });
    if (portLine instanceof Error) {
        return stopAndFail(child, closed, stderr, portLine.message);
    }
    const port = parsePort(portLine);
    if (port === undefined) {
        return stopAndFail(
            child,
            closed,
            stderr,
            `the policy pack in ${directory} printed ${JSON.stringify(portLine.slice(0, 200))} where its port belongs ` +
                "(the first line of its stdout; the Pulumi CLI fails the same way)",
        );
    }
    return new PackProcess(directory, project, port, performance.now() - spawnedAt, child, closed, stdout, stderr);
}
