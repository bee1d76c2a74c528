/**
 * `npm run check` (flags: `USAGE` below). Runs the stack's program offline under Pulumi's mock
 * runtime and judges it with the real policy pack, as `pulumi preview --policy-pack policies`
 * would. Exit 1 on any mandatory violation or invalid config, 0 otherwise.
 */
import { parseArgs } from "node:util";
import { mermaidDiagram } from "./check/diagram";
import { CheckResult, InvalidStackConfig, runCheck } from "./check/run-check";
import { StackFileError } from "./stack-files";
import { PolicyPackError } from "./analyzer";
import { exitWhenDrained } from "./exit-when-drained";

const USAGE = "usage: npm run check -- --stack <name> [--json] [--preview] [--diagram]";

function byText<T>(key: (item: T) => string) {
    return (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** The `--json` document: stable order, so two runs on the same files are byte-identical. */
function jsonReport(result: CheckResult): string {
    const resources = [...result.resources]
        .sort(byText((r) => r.urn))
        .map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, inputs: r.inputs }));
    const violations = result.violations
        .map((v) => ({ policyName: v.policyName, enforcementLevel: v.enforcementLevel, message: v.message, urn: v.urn ?? null }))
        .sort(byText((v) => `${v.policyName}\u0000${v.urn ?? ""}\u0000${v.message}`));
    return JSON.stringify({ stack: result.stack, resources, violations }, null, 2);
}

/** The human summary: resources by type, then violations grouped by policy. */
function textReport(result: CheckResult): string {
    const lines: string[] = [];
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
    const byPolicy = new Map<string, typeof result.violations>();
    for (const v of result.violations) {
        byPolicy.set(v.policyName, [...(byPolicy.get(v.policyName) ?? []), v]);
    }
    for (const [policy, violations] of [...byPolicy].sort(byText(([p]) => p))) {
        lines.push(`  ${policy} (${violations[0].enforcementLevel}): ${violations.length} violation${violations.length === 1 ? "" : "s"}`);
        for (const v of violations) {
            lines.push(`    ${v.urn ?? "(stack)"}`);
            lines.push(`      ${v.message.split("\n").pop()}`);
        }
    }
    lines.push("");
    lines.push(mandatory.length > 0 ? `FAILED: ${mandatory.length} mandatory violation${mandatory.length === 1 ? "" : "s"}` : "PASSED: no mandatory violations");
    return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: argv,
            options: { stack: { type: "string" }, json: { type: "boolean" }, preview: { type: "boolean" }, diagram: { type: "boolean" }, help: { type: "boolean" } },
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
    // With --json, stdout holds the document alone: anything the program logs goes to stderr.
    if (args.json) {
        console.log = console.info = (...parts: unknown[]) => process.stderr.write(`${parts.join(" ")}\n`);
    }
    try {
        // Stack files are read from the working directory (npm runs scripts from the project root).
        const result = await runCheck({ stack: args.stack, preview: args.preview, root: process.cwd() });
        const out: string[] = [];
        if (args.json) {
            out.push(jsonReport(result));
        } else {
            out.push(textReport(result));
            if (args.diagram) {
                out.push("", "```mermaid", mermaidDiagram(result.resources), "```");
            }
        }
        process.stdout.write(`${out.join("\n")}\n`);
        return result.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (e) {
        if (e instanceof InvalidStackConfig || e instanceof StackFileError || e instanceof PolicyPackError) {
            process.stderr.write(`${e.message}\n`);
            return 1;
        }
        process.stderr.write(`check failed: ${(e as Error)?.message ?? String(e)}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(exitWhenDrained);
}
