/**
 * `npm run cost-diff -- --stack <name> --base <file> --head <file>`: what a pull request changes in a
 * stack's fixed monthly cost, as Markdown for the pull request's comment. The files are
 * `npm run check -- --stack <name> --json` on the base branch and on the head. A base without the
 * estimate (a branch from before it, a stack the pull request adds, a check that could not run)
 * is said to be so, never an error: the comparison informs, the check's verdict decides.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CostItem, formatUsd } from "../../policies/lib/fixed-cost";
import { money } from "../../policies/lib/prices";
import type { CostReport } from "./cost";

/** Rows of the table of changed items at most; the rest is counted. */
export const MAX_ROWS = 20;

/** A check's estimate read from its `--json` file, or why there is none. */
export type Estimate = { cost: CostReport } | { missing: string };

/** The `cost` of a check's `--json` document at `file`, or why there is none. */
export function readEstimate(file: string): Estimate {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        return { missing: "no check report" };
    }
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch {
        return { missing: "the check gave no JSON report: it failed before judging the stack" };
    }
    const cost = document !== null && typeof document === "object" ? (document as { cost?: unknown }).cost : undefined;
    if (!isCostReport(cost)) {
        return { missing: "no estimate in the check's report, a branch from before the fixed-cost estimate" };
    }
    return { cost };
}

function isCostReport(value: unknown): value is CostReport {
    const report = value as CostReport;
    return (
        value !== null &&
        typeof value === "object" &&
        typeof report.monthly === "number" &&
        Array.isArray(report.items) &&
        report.items.every((item) => item !== null && typeof item === "object" && typeof item.urn === "string" && typeof item.monthly === "number") &&
        Array.isArray(report.unpriced)
    );
}

interface Change {
    before?: CostItem;
    after?: CostItem;
    delta: number;
}

/** An item's identity: a resource may have several (a service's vCPU, memory and addresses). */
const keyOf = (item: CostItem) => `${item.urn}\u0000${item.type}\u0000${item.unit}`;

/** The items whose monthly amount differs, largest difference first. */
export function changedItems(before: CostReport, after: CostReport): Change[] {
    const old = new Map(before.items.map((item) => [keyOf(item), item]));
    const now = new Map(after.items.map((item) => [keyOf(item), item]));
    const changes: Change[] = [];
    for (const key of new Set([...old.keys(), ...now.keys()])) {
        const [b, a] = [old.get(key), now.get(key)];
        const delta = money((a?.monthly ?? 0) - (b?.monthly ?? 0));
        if (delta !== 0) {
            changes.push({ before: b, after: a, delta });
        }
    }
    const magnitude = (c: Change) => Math.abs(c.delta);
    return changes.sort((x, y) => magnitude(y) - magnitude(x) || (keyOfChange(x) < keyOfChange(y) ? -1 : keyOfChange(x) > keyOfChange(y) ? 1 : 0));
}

const keyOfChange = (c: Change) => keyOf((c.after ?? c.before) as CostItem);

function signed(amount: number): string {
    return amount > 0 ? `+${formatUsd(amount)}` : amount < 0 ? `−${formatUsd(-amount)}` : "±$0.00";
}

/** Markdown for a cell: pipes and line breaks would break the table. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

function itemText(item: CostItem | undefined): string {
    return item === undefined ? "—" : `${formatUsd(item.monthly)} (${item.quantity} ${item.unit} × ${formatUsd(item.unitPrice)})`;
}

/** The comparison for one stack, as Markdown. */
export function costDiffMarkdown(stack: string, base: Estimate, head: Estimate): string {
    const title = `**Fixed monthly cost of \`${stack}\`** (list prices, before any traffic)`;
    if ("missing" in head) {
        return `${title}: not estimated on this branch (${head.missing}).\n`;
    }
    if ("missing" in base) {
        return `${title}: ${formatUsd(head.cost.monthly)} a month; nothing to compare with on the base branch (${base.missing}).\n`;
    }
    const delta = money(head.cost.monthly - base.cost.monthly);
    const changes = changedItems(base.cost, head.cost);
    const lines = [`${title}: ${formatUsd(base.cost.monthly)} → ${formatUsd(head.cost.monthly)} a month (${delta === 0 ? "no change" : signed(delta)})`];
    if (changes.length > 0) {
        lines.push("", "| change | resource | type | before | after |", "|---|---|---|---|---|");
        for (const change of changes.slice(0, MAX_ROWS)) {
            const item = (change.after ?? change.before) as CostItem;
            const name = item.urn.split("::").slice(3).join("::") || item.urn;
            lines.push(`| ${signed(change.delta)} | \`${cell(name)}\` | \`${cell(item.type)}\` (${cell(item.unit)}) | ${cell(itemText(change.before))} | ${cell(itemText(change.after))} |`);
        }
        if (changes.length > MAX_ROWS) {
            lines.push("", `… and ${changes.length - MAX_ROWS} more changed items (the check's \`--json\` lists every item).`);
        }
    }
    const newlyUnpriced = head.cost.unpriced.filter((type) => !base.cost.unpriced.includes(type));
    if (newlyUnpriced.length > 0) {
        lines.push("", `Not priced (no price data, not in the total), new in this pull request: ${newlyUnpriced.map((t) => `\`${t}\``).join(", ")}.`);
    }
    return `${lines.join("\n")}\n`;
}

const USAGE = "usage: npm run cost-diff -- --stack <name> --base <check --json of the base branch> --head <check --json of the head>";

export function main(argv: string[]): number {
    let values;
    try {
        values = parseArgs({ args: argv, options: { stack: { type: "string" }, base: { type: "string" }, head: { type: "string" } } }).values;
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (!values.stack || !values.base || !values.head) {
        process.stderr.write(`--stack, --base and --head are required\n${USAGE}\n`);
        return 2;
    }
    // Paths are relative to where npm was started.
    const from = process.env.INIT_CWD ?? process.cwd();
    process.stdout.write(costDiffMarkdown(values.stack, readEstimate(path.resolve(from, values.base)), readEstimate(path.resolve(from, values.head))));
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
