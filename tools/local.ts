/**
 * npm run local -- --stack <name> [--events N] [--duplicates K] [--poison P] [--json]
 *
 * Runs the stack's program as the check does, creates what it declares on in-process SNS/SQS
 * (fauxqs) and DynamoDB (dynalite) emulators, runs every consumer with its real code, publishes
 * events, duplicates and poison messages, and prints the trace and the verdict. Exit 0 only on
 * pass; 1 on a failed verdict or an invalid stack; 2 on bad usage or a crash; 130 on Ctrl-C.
 * Everything it starts is stopped on every one of those paths.
 */
import { stop as stopEsbuild } from "esbuild";
import { parseArgs } from "node:util";
import { InvalidStackConfig } from "./check/run-check";
import { exitWhenDrained } from "./exit-when-drained";
import { writeStderr } from "./local/output";
import { DEFAULT_COUNTS, type LocalRun, LocalRunAborted, LocalUsageError, runLocal } from "./local/run-local";
import { textTrace } from "./local/trace";
import { TopologyError } from "./local/topology";
import { StackFileError } from "./stack-files";

export const USAGE = `usage: npm run local -- --stack <name> [--events N] [--duplicates K] [--poison P] [--json]
  --events N      CloudEvents to publish (default ${DEFAULT_COUNTS.events})
  --duplicates K  of them published a second time, same event id (default ${DEFAULT_COUNTS.duplicates})
  --poison P      messages that are not CloudEvents (default ${DEFAULT_COUNTS.poison})
  --json          one JSON document on stdout; everything else on stderr`;

export interface LocalArgs {
    stack: string;
    events: number;
    duplicates: number;
    poison: number;
    json: boolean;
}

function count(value: string | undefined, flag: string, fallback: number): number {
    if (value === undefined) {
        return fallback;
    }
    if (!/^\d+$/.test(value.trim())) {
        throw new LocalUsageError(`${flag} must be a whole number (got "${value}")`);
    }
    return Number(value);
}

export function parseLocalArgs(argv: string[]): LocalArgs | "help" {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                events: { type: "string" },
                duplicates: { type: "string" },
                poison: { type: "string" },
                json: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
        }));
    } catch (error) {
        throw new LocalUsageError((error as Error).message);
    }
    if (values.help) {
        return "help";
    }
    if (!values.stack) {
        throw new LocalUsageError("--stack is required");
    }
    return {
        stack: values.stack,
        events: count(values.events, "--events", DEFAULT_COUNTS.events),
        duplicates: count(values.duplicates, "--duplicates", DEFAULT_COUNTS.duplicates),
        poison: count(values.poison, "--poison", DEFAULT_COUNTS.poison),
        json: values.json === true,
    };
}

export interface MainIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Where Ctrl-C comes from: `process`, or an emitter a test controls. */
    signals: { once(event: "SIGINT" | "SIGTERM", listener: () => void): unknown; off(event: "SIGINT" | "SIGTERM", listener: () => void): unknown };
}

const processIo: MainIo = {
    stdout: (text) => process.stdout.write(text),
    // Around the consumers' own output, which the run captures and passes on here.
    stderr: writeStderr,
    signals: process,
};

export async function main(argv: string[], io: MainIo = processIo): Promise<number> {
    let args: LocalArgs | "help";
    try {
        args = parseLocalArgs(argv);
    } catch (error) {
        io.stderr(`${(error as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (args === "help") {
        io.stdout(`${USAGE}\n`);
        return 0;
    }
    const interrupt = new AbortController();
    const onSignal = () => {
        io.stderr("Interrupted: stopping the consumers and the emulators…\n");
        interrupt.abort();
    };
    io.signals.once("SIGINT", onSignal);
    io.signals.once("SIGTERM", onSignal);
    let run: LocalRun;
    try {
        run = await runLocal({
            stack: args.stack,
            events: args.events,
            duplicates: args.duplicates,
            poison: args.poison,
            signal: interrupt.signal,
            // The program may print; with the consumers' logs, all of it goes to stderr.
            log: (line) => io.stderr(`${line}\n`),
            progress: (line) => io.stderr(`${line}\n`),
        });
    } catch (error) {
        if (error instanceof LocalRunAborted) {
            io.stderr(`${error.message}\n`);
            return 130;
        }
        if (error instanceof InvalidStackConfig || error instanceof StackFileError) {
            io.stderr(`${error.message}\n`);
            return 1;
        }
        if (error instanceof LocalUsageError || error instanceof TopologyError) {
            io.stderr(`${error.message}\n${error instanceof LocalUsageError ? `${USAGE}\n` : ""}`);
            return 2;
        }
        io.stderr(`local run failed: ${(error as Error)?.message ?? String(error)}\n`);
        return 2;
    } finally {
        io.signals.off("SIGINT", onSignal);
        io.signals.off("SIGTERM", onSignal);
        // The program's bundling started esbuild's service process; end it before this one exits.
        await stopEsbuild();
    }
    if (args.json) {
        io.stderr(`${[...run.scale, ...run.notes, "Not modelled here:", ...run.notModelled.map((n) => `  - ${n}`)].join("\n")}\n`);
        io.stdout(`${JSON.stringify(run.report, null, 2)}\n`);
    } else {
        io.stdout(`${textTrace(run)}\n`);
    }
    return run.report.verdict === "pass" ? 0 : 1;
}

if (require.main === module) {
    // A run waiting on something that can no longer happen would let Node exit with 0: never a pass.
    process.once("beforeExit", () => {
        writeStderr("local run failed: it stopped before finishing (nothing left to wait for)\n");
        process.exit(2);
    });
    // A second Ctrl-C while stopping falls through to Node's default and ends the process at once;
    // the Lambda environments then exit by themselves when their IPC channel closes.
    void main(process.argv.slice(2)).then(exitWhenDrained);
}
