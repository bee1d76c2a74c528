import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CostItem } from "../../../policies/lib/fixed-cost";
import type { CostReport } from "../../../tools/check/cost";
import { changedItems, costDiffMarkdown, main, MAX_ROWS, readEstimate } from "../../../tools/check/cost-diff";

const URN = "urn:pulumi:dev::event-pipeline::";

function item(name: string, type: string, quantity: number, unitPrice: number, unit = "resource"): CostItem {
    return { urn: `${URN}${type}::${name}`, type, description: "", quantity, unit, unitPrice, monthly: Number((quantity * unitPrice).toFixed(9)) };
}

function report(...items: CostItem[]): CostReport {
    return { currency: "USD", monthly: Number(items.reduce((sum, i) => sum + i.monthly, 0).toFixed(9)), items, unpriced: [] };
}

const key = item("alarms-key", "aws:kms/key:Key", 1, 1, "key");
const dashboard = item("dashboard", "aws:cloudwatch/dashboard:Dashboard", 1, 3, "dashboard");
const queue = item("orders", "aws:sqs/queue:Queue", 1, 0);
const nat = item("network", "aws:ec2/natGateway:NatGateway", 1, 32.85, "NAT gateway");
const vcpu = (tasks: number) => item("worker", "aws:ecs/service:Service", tasks * 0.25, 29.5504, "vCPU");
const gb = (tasks: number) => item("worker", "aws:ecs/service:Service", tasks * 0.5, 3.24485, "GB");

describe("tools/check/cost-diff", () => {
    describe("the changed items", () => {
        it("lists what was added, removed or changed in amount, largest difference first; a $0 item added or an unchanged one is not a change", () => {
            const before = report(key, dashboard, vcpu(1), gb(1));
            const after = report(key, queue, nat, vcpu(2), gb(2));
            assert.deepEqual(
                changedItems(before, after).map((c) => [c.after?.type ?? c.before?.type, c.after?.unit ?? c.before?.unit, c.delta]),
                [
                    ["aws:ec2/natGateway:NatGateway", "NAT gateway", 32.85],
                    ["aws:ecs/service:Service", "vCPU", 7.3876],
                    ["aws:cloudwatch/dashboard:Dashboard", "dashboard", -3],
                    ["aws:ecs/service:Service", "GB", 1.622425],
                ],
            );
        });
    });

    describe("the comment", () => {
        it("states the total before → after with the difference, and a table of the changed items", () => {
            const markdown = costDiffMarkdown("dev", { cost: report(key, dashboard) }, { cost: report(key, dashboard, nat) });
            assert.equal(
                markdown,
                [
                    "**Fixed monthly cost of `dev`** (list prices, before any traffic): $4.00 → $36.85 a month (+$32.85)",
                    "",
                    "| change | resource | type | before | after |",
                    "|---|---|---|---|---|",
                    "| +$32.85 | `network` | `aws:ec2/natGateway:NatGateway` (NAT gateway) | — | $32.85 (1 NAT gateway × $32.85) |",
                    "",
                ].join("\n"),
            );
        });

        it("says so when nothing changed, and shows a decrease as one", () => {
            assert.equal(costDiffMarkdown("prod", { cost: report(key) }, { cost: report(key, queue) }), "**Fixed monthly cost of `prod`** (list prices, before any traffic): $1.00 → $1.00 a month (no change)\n");
            assert.match(costDiffMarkdown("prod", { cost: report(key, dashboard) }, { cost: report(key) }), /\$4\.00 → \$1\.00 a month \(−\$3\.00\)\n[^]*\| −\$3\.00 \| `dashboard` \|[^|]*\| \$3\.00 \(1 dashboard × \$3\.00\) \| — \|/);
        });

        it("names types newly not priced, and counts the rows beyond the table's limit", () => {
            const many = Array.from({ length: MAX_ROWS + 3 }, (_, i) => item(`ip-${i}`, "aws:ec2/eip:Eip", 1, 3.65, "public IPv4 address"));
            const after = { ...report(...many), unpriced: ["aws:rds/instance:Instance"] };
            const markdown = costDiffMarkdown("dev", { cost: report() }, { cost: after });
            assert.equal(markdown.split("\n").filter((line) => line.startsWith("| +$3.65 |")).length, MAX_ROWS);
            assert.match(markdown, /… and 3 more changed items/);
            assert.match(markdown, /new in this pull request: `aws:rds\/instance:Instance`\.\n$/);
        });

        it("a base without an estimate, or a head without one, is said to be so", () => {
            assert.equal(
                costDiffMarkdown("dev", { missing: "no estimate in the check's report, a branch from before the fixed-cost estimate" }, { cost: report(key, dashboard) }),
                "**Fixed monthly cost of `dev`** (list prices, before any traffic): $4.00 a month; nothing to compare with on the base branch (no estimate in the check's report, a branch from before the fixed-cost estimate).\n",
            );
            assert.match(costDiffMarkdown("dev", { cost: report(key) }, { missing: "no check report" }), /: not estimated on this branch \(no check report\)\.\n$/);
        });
    });

    describe("reading the check's --json files", () => {
        let directory: string;
        const write = (name: string, text: string) => {
            const file = path.join(directory, name);
            fs.writeFileSync(file, text);
            return file;
        };

        beforeEach(() => {
            directory = fs.mkdtempSync(path.join(os.tmpdir(), "cost-diff-"));
        });
        afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

        it("reads the cost of a report; a missing file, a report that is not JSON or one without cost (an older branch) is no estimate", () => {
            const cost = report(key);
            assert.deepEqual(readEstimate(write("head.json", JSON.stringify({ stack: "dev", resources: [], violations: [], exemptions: [], cost }))), { cost });
            assert.deepEqual(readEstimate(path.join(directory, "nope.json")), { missing: "no check report" });
            assert.match((readEstimate(write("failed.json", "")) as { missing: string }).missing, /no JSON report/);
            assert.match((readEstimate(write("old.json", JSON.stringify({ stack: "dev", resources: [] }))) as { missing: string }).missing, /from before the fixed-cost estimate/);
            assert.match((readEstimate(write("odd.json", JSON.stringify({ cost: { monthly: "12", items: [] } }))) as { missing: string }).missing, /no estimate/);
        });

        it("npm run cost-diff prints the comparison for the stack, paths from where npm was started; a missing argument is a usage error", () => {
            write("base.json", JSON.stringify({ cost: report(key) }));
            write("head.json", JSON.stringify({ cost: report(key, dashboard) }));
            const out: string[] = [];
            const [stdoutWrite, stderrWrite, initCwd] = [process.stdout.write, process.stderr.write, process.env.INIT_CWD];
            process.stdout.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stdout.write;
            process.stderr.write = ((chunk: string) => (out.push(`stderr: ${chunk}`), true)) as typeof process.stderr.write;
            process.env.INIT_CWD = directory;
            try {
                assert.equal(main(["--stack", "dev", "--base", "base.json", "--head", "head.json"]), 0);
                assert.match(out.join(""), /^\*\*Fixed monthly cost of `dev`\*\* \(list prices, before any traffic\): \$1\.00 → \$4\.00 a month \(\+\$3\.00\)/);
                out.length = 0;
                assert.equal(main(["--stack", "dev", "--base", "base.json"]), 2);
                assert.match(out.join(""), /stderr: --stack, --base and --head are required/);
            } finally {
                process.stdout.write = stdoutWrite;
                process.stderr.write = stderrWrite;
                process.env.INIT_CWD = initCwd;
            }
        });
    });
});
