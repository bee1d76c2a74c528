/**
 * `npm run check` (flags: `USAGE` below). Runs a stack's program offline under Pulumi's mock
 * runtime and judges it with the real policy pack, as `pulumi preview --policy-pack policies`
 * would. Exit 1 on any mandatory violation (exempted ones do not count) or invalid config or
 * program, 2 on a usage error or a failure of the check itself, 130/143 when interrupted. No
 * process it started is left behind in any case.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PolicyPackError } from "./analyzer";
import { stopChildProcesses } from "./check/child-processes";
import { costLines, costReport } from "./check/cost";
import { mermaidDiagram } from "./check/diagram";
import { ExemptionReport, expiringSoon } from "./check/exemption-status";
import { CheckResult, InvalidStackConfig, LocatedViolation, runCheck } from "./check/run-check";
import { sarifContext, toSarif } from "./check/sarif";
import { exitWhenDrained } from "./exit-when-drained";
import { explainedProgramError, ProgramError } from "./program/program-error";
import { StackFileError } from "./stack-files";

const USAGE = `usage: npm run check -- --stack <name> [--program <dir>] [--policy-pack-config <file>] [--preview] [--json] [--sarif <file>] [--diagram]

  --stack <name>                the stack: Pulumi.<name>.yaml of the program
  --program <dir>               judge the Pulumi program (TypeScript or JavaScript, runtime: nodejs) in <dir>
                                instead of this project's; its code RUNS, as under \`pulumi preview\`:
                                check only programs you would preview
  --policy-pack-config <file>   policy pack config, as the CLI's --policy-pack-config (default: this
                                project's policies/config.<stack>.json; the pack's defaults with --program)
  --preview                     outputs of resources unknown, as in the first preview of a new stack
  --json                        the report as JSON on stdout
  --sarif <file>                also write the findings as SARIF 2.1.0 (GitHub code scanning) to <file>
  --diagram                     append a Mermaid diagram of the pipeline (this project's resources)`;

function byText<T>(key: (item: T) => string) {
    return (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function where(violation: LocatedViolation): string {
    return violation.location ? `${violation.location.file}:${violation.location.line}` : "(stack)";
}

/** What a policy reported, without the description the pack puts before it. */
function reportedMessage(message: string): string {
    return message.split("\n").pop() ?? message;
}

/** The `--json` document: stable order, so two runs on the same files are byte-identical. */
export function jsonReport(result: CheckResult): string {
    const resources = [...result.resources]
        .sort(byText((r) => r.urn))
        .map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, inputs: r.inputs }));
    const violations = result.violations
        .map((v) => ({ policyName: v.policyName, enforcementLevel: v.enforcementLevel, message: v.message, urn: v.urn ?? null, location: v.location ?? null }))
        .sort(byText((v) => `${v.policyName}\u0000${v.urn ?? ""}\u0000${v.message}`));
    const exemptions = result.exemptions.map((e) => ({ policy: e.policy, resource: e.resource, reason: e.reason, expires: e.expires, status: e.status, urns: e.urns }));
    return JSON.stringify({ stack: result.stack, resources, violations, exemptions, cost: costReport(result.cost) }, null, 2);
}

function expiryWarning(e: ExemptionReport): string {
    const when = e.daysLeft === 0 ? "today is its last day" : `its last day is in ${e.daysLeft} day${e.daysLeft === 1 ? "" : "s"}`;
    return `warning: the exemption of ${e.resource} from ${e.policy} expires soon (${e.expires}, ${when}): fix the resource or renew the exemption with a reason`;
}

function exemptionLines(result: CheckResult): string[] {
    if (result.exemptions.length === 0) {
        return [];
    }
    const lines = ["", `Exemptions: ${result.exemptions.length}`];
    for (const e of result.exemptions) {
        lines.push(`  ${e.status.padEnd(7)}  ${e.policy}  ${e.resource}  (until ${e.expires}): ${e.reason}`);
        if (e.status === "applied") {
            for (const v of e.silenced) {
                lines.push(`             ${where(v)}  ${v.urn ?? "(stack)"}`);
            }
        } else if (e.status === "unused") {
            lines.push("             matches no violation: stale, remove it");
        } else {
            lines.push(`             expired after ${e.expires}: it silences nothing`);
        }
    }
    for (const e of expiringSoon(result.exemptions)) {
        lines.push(`  ${expiryWarning(e)}`);
    }
    return lines;
}

/** The human summary: resources by type, violations grouped by policy with file:line, exemptions, the verdict, then the fixed monthly cost. */
export function textReport(result: CheckResult, showProgram: boolean): string {
    const lines: string[] = [];
    if (showProgram) {
        lines.push(`Program ${result.program.name} in ${result.program.root}`);
    }
    const counts = new Map<string, number>();
    for (const r of result.resources) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    lines.push(`Stack ${result.stack}${result.preview ? " (preview: outputs unknown)" : ""}: ${result.resources.length} resources`);
    for (const [type, count] of [...counts].sort(byText(([t]) => t))) {
        lines.push(`  ${String(count).padStart(4)}  ${type}`);
    }
    const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory");
    lines.push("");
    lines.push(`Policy pack ${result.policyPack}: ${result.policies.length} policies`);
    if (result.violations.length === 0) {
        lines.push("  no violations");
    }
    const byPolicy = new Map<string, LocatedViolation[]>();
    for (const v of result.violations) {
        byPolicy.set(v.policyName, [...(byPolicy.get(v.policyName) ?? []), v]);
    }
    for (const [policy, violations] of [...byPolicy].sort(byText(([p]) => p))) {
        lines.push(`  ${policy} (${violations[0].enforcementLevel}): ${violations.length} violation${violations.length === 1 ? "" : "s"}`);
        for (const v of violations) {
            lines.push(`    ${where(v)}  ${v.urn ?? "(stack)"}`);
            for (const related of v.related.filter((r) => r.message !== "called from here")) {
                lines.push(`      ${related.message}: ${related.file}:${related.line}`);
            }
            lines.push(`      ${reportedMessage(v.message)}`);
        }
    }
    lines.push(...exemptionLines(result));
    lines.push("");
    lines.push(mandatory.length > 0 ? `FAILED: ${mandatory.length} mandatory violation${mandatory.length === 1 ? "" : "s"}` : "PASSED: no mandatory violations");
    lines.push("", ...costLines(result.cost));
    return lines.join("\n");
}

let interrupted = false;
/** The stack being checked, for messages about the program's failures outside `main`'s flow. */
let checkedStack = "";
const failuresReported = new Set<string>();

/** Writes a failure to stderr once: a program's error may reach both `main` and `unhandledRejection`. */
function reportFailure(message: string): void {
    if (!failuresReported.has(message)) {
        failuresReported.add(message);
        process.stderr.write(`${message}\n`);
    }
}

/** SIGINT/SIGTERM: stop what the check started (and wait until it is gone), then exit 128 + the signal's number. */
function exitOnSignals(): void {
    for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
        process.on(signal, () => {
            if (interrupted) {
                return;
            }
            interrupted = true;
            process.stderr.write(`check interrupted (${signal}): stopping the processes it started\n`);
            stopChildProcesses().finally(() => process.exit(code));
        });
    }
}

export async function main(argv: string[]): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                program: { type: "string" },
                "policy-pack-config": { type: "string" },
                json: { type: "boolean" },
                sarif: { type: "string" },
                preview: { type: "boolean" },
                diagram: { type: "boolean" },
                help: { type: "boolean" },
            },
        }).values;
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (!args.stack) {
        process.stderr.write(`--stack is required\n${USAGE}\n`);
        return 2;
    }
    checkedStack = args.stack;
    // Paths given are relative to where the user typed the command: npm runs scripts from the
    // project root and says in INIT_CWD where it was started.
    const userDirectory = process.env.INIT_CWD ?? process.cwd();
    const sarifFile = args.sarif ? path.resolve(userDirectory, args.sarif) : undefined;
    const policyPackConfig = args["policy-pack-config"] ? path.resolve(userDirectory, args["policy-pack-config"]) : undefined;
    if (policyPackConfig && !fs.existsSync(policyPackConfig)) {
        process.stderr.write(`--policy-pack-config ${args["policy-pack-config"]}: no such file\n`);
        return 2;
    }
    // With --json, stdout holds the document alone: anything the program logs goes to stderr.
    const [log, info] = [console.log, console.info];
    if (args.json) {
        console.log = console.info = (...parts: unknown[]) => process.stderr.write(`${parts.join(" ")}\n`);
    }
    try {
        const result = await runCheck({
            stack: args.stack,
            preview: args.preview,
            root: process.cwd(),
            program: args.program ? path.resolve(userDirectory, args.program) : undefined,
            policyPackConfig,
        });
        if (sarifFile) {
            fs.mkdirSync(path.dirname(sarifFile), { recursive: true });
            fs.writeFileSync(sarifFile, `${JSON.stringify(toSarif(result, sarifContext(result.program.root)), null, 2)}\n`);
            if (!args.json) {
                process.stderr.write(`SARIF written to ${sarifFile}\n`);
            }
        }
        const out: string[] = [];
        if (args.json) {
            out.push(jsonReport(result));
            for (const e of expiringSoon(result.exemptions)) {
                process.stderr.write(`${expiryWarning(e)}\n`);
            }
        } else {
            out.push(textReport(result, args.program !== undefined));
            if (args.diagram) {
                out.push("", "```mermaid", mermaidDiagram(result.resources), "```");
            }
        }
        process.stdout.write(`${out.join("\n")}\n`);
        return result.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (e) {
        if (interrupted) {
            return 1; // the interruption's doing; the signal handler reports it and sets the exit code
        }
        if (e instanceof InvalidStackConfig || e instanceof StackFileError || e instanceof PolicyPackError || e instanceof ProgramError) {
            reportFailure(e.message);
            return 1;
        }
        reportFailure(`check failed: ${(e as Error)?.message ?? String(e)}`);
        return 2;
    } finally {
        [console.log, console.info] = [log, info];
    }
}

if (require.main === module) {
    exitOnSignals();
    // The program's code may fail where nothing awaits it (inside an apply): one line, no stack trace.
    process.on("unhandledRejection", (e: unknown) => {
        const explained = explainedProgramError(e, checkedStack);
        reportFailure(`${explained instanceof ProgramError ? "" : "check failed: the program failed: "}${(explained as Error)?.message ?? String(explained)}`);
        stopChildProcesses().finally(() => exitWhenDrained(explained instanceof ProgramError ? 1 : 2));
    });
    main(process.argv.slice(2))
        .catch((e: unknown) => {
            process.stderr.write(`check failed: ${(e as Error)?.message ?? String(e)}\n`);
            return 2;
        })
        .then(async (code) => {
            // Once interrupted, the signal handler ends the process with its own code.
            if (!interrupted) {
                await stopChildProcesses();
                exitWhenDrained(code);
            }
        });
}
