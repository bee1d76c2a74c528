/** The command as users run it: exit codes, the --json contract, --diagram, errors without stack traces. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../tools/check";
import { THIS_PROJECT_ROOT } from "../../tools/project";

function check(args: string[], cwd = THIS_PROJECT_ROOT) {
    const result = spawnSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), path.join(THIS_PROJECT_ROOT, "tools/check.ts"), ...args], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: path.join(THIS_PROJECT_ROOT, "tsconfig.json"), INIT_CWD: cwd },
        timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `main` run in this process, its stdout and stderr captured. */
async function checkInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = { stdout: "", stderr: "" };
    const [stdoutWrite, stderrWrite] = [process.stdout.write, process.stderr.write];
    process.stdout.write = ((chunk: string) => ((out.stdout += chunk), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => ((out.stderr += chunk), true)) as typeof process.stderr.write;
    try {
        return { code: await main(args), ...out };
    } finally {
        process.stdout.write = stdoutWrite;
        process.stderr.write = stderrWrite;
    }
}

const PROGRAMS = path.join(THIS_PROJECT_ROOT, "tests", "programs");
const consoleLog = console.log;

const STACK_TRACE_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe("npm run check (the command)", function () {
    this.timeout(180_000);

    it("--json prints one JSON document with the contract's fields, byte-identical across runs", () => {
        // prod's: a report larger than a pipe takes at once (exit-when-drained.spec.ts shows why that matters).
        const first = check(["--stack", "prod", "--json"]);
        const second = check(["--stack", "prod", "--json"]);
        assert.equal(first.code, 0, first.stderr);
        assert.ok(first.stdout.length > 64 * 1024, `${first.stdout.length} characters`);
        assert.equal(first.stdout, second.stdout);
        const document = JSON.parse(first.stdout) as {
            stack: string;
            resources: { urn: string; type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[];
            violations: unknown[];
            exemptions: unknown[];
            cost: { currency: string; monthly: number; items: { monthly: number }[]; unpriced: string[] };
        };
        assert.deepEqual(Object.keys(document), ["stack", "resources", "violations", "exemptions", "cost"]);
        assert.deepEqual(document.exemptions, []);
        assert.equal(document.stack, "prod");
        assert.ok(document.resources.some((r) => r.type === "aws:sqs/queue:Queue" && r.urn.startsWith("urn:pulumi:prod::event-pipeline::")));
        for (const r of document.resources) {
            assert.deepEqual(Object.keys(r), ["urn", "type", "name", "parent", "inputs"]);
        }
        assert.deepEqual(document.violations, []);
        assert.deepEqual([document.cost.currency, document.cost.monthly, document.cost.unpriced], ["USD", 157.8101, []]);
        assert.equal(document.cost.items.reduce((sum, item) => sum + item.monthly, 0).toFixed(6), "157.810100");
    });

    it("prints the summary, the fixed monthly cost last, and a Mermaid diagram; --policy-pack-config with a $1 budget fails prod, naming its three largest items", async () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "check-cli-"));
        let result: { code: number; stdout: string };
        try {
            const budget = path.join(directory, "budget.json");
            fs.writeFileSync(budget, JSON.stringify({ "stack-fixed-cost-budget": { maxMonthlyUsd: 1 } }));
            result = await checkInProcess(["--stack", "prod", "--diagram", "--preview", "--policy-pack-config", budget]);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
        const { code, stdout } = result;
        assert.equal(code, 1);
        assert.match(stdout, /Stack prod \(preview: outputs unknown\): \d+ resources/);
        assert.match(stdout, /aws:sqs\/queue:Queue/);
        assert.match(stdout, /\nPolicy pack event-pipeline-guardrails: \d+ policies\n/);
        assert.match(stdout, /\n {2}stack-fixed-cost-budget \(mandatory\): 1 violation\n {4}components\/network\.ts:\d+ {2}urn:pulumi:prod::event-pipeline::event-pipeline:network:Network\$awsx:ec2:Vpc::network\n/);
        assert.match(
            stdout,
            /fixed monthly cost is \$157\.81 .*above the budget of \$1\.00 set by maxMonthlyUsd\. The largest items: network \(aws:ec2\/natGateway:NatGateway\) \$105\.12, order-fulfilment \(aws:ecs\/service:Service\) \$29\.55, network \(aws:ec2\/eip:Eip\) \$10\.95\./,
        );
        assert.match(stdout, /\nFAILED: 1 mandatory violation\n\nFixed monthly cost, before any traffic \(list prices in USD, eu-west-1; free tiers are per account and not deducted\):\n/);
        assert.match(stdout, /\n {2}\$105\.12 {2}network +3 NAT gateways × \$35\.04 +NAT gateways awsx creates/, "unknown outputs change nothing: the same estimate in a first preview");
        assert.match(stdout, /\n {2}total \$157\.81 a month\n\n```mermaid\nflowchart LR/);
        const id = (label: string) => new RegExp(`^\\s+(n\\d+)${label}$`, "m").exec(stdout)?.[1];
        const topic = id('\\{\\{"SNS events"\\}\\}');
        const queue = id('\\[/"SQS invoice-render"/\\]');
        const dlq = id('\\[/"DLQ invoice-render-dlq"/\\]');
        assert.ok(topic && queue && dlq, "topic, queue and dead-letter queue nodes are drawn");
        assert.ok(stdout.includes(`${topic} -->|subscription| ${queue}`));
        assert.ok(stdout.includes(`${queue} -.->|redrive| ${dlq}`));
        assert.match(stdout, /\("λ invoice-render"\)/);
        assert.match(stdout, /\("ECS order-fulfilment"\)/);
    });

    it("an unknown stack exits 1 naming the stacks that exist, without a stack trace", () => {
        const { code, stderr } = check(["--stack", "qa"]);
        assert.equal(code, 1);
        assert.match(stderr, /No stack "qa".*dev, prod/);
        assert.doesNotMatch(stderr, STACK_TRACE_LINE);
    });

    it("invalid stack config exits 1 with every bad key named, without a stack trace", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "check-cli-"));
        fs.copyFileSync(path.join(THIS_PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.writeFileSync(
            path.join(root, "Pulumi.bad.yaml"),
            "config:\n  event-pipeline:environment: staging\n  event-pipeline:owner: team\n  event-pipeline:worker:\n    cpu: 256\n    memory: 4096\n",
        );
        const { code, stderr, stdout } = check(["--stack", "bad"], root);
        assert.equal(code, 1);
        assert.equal(stdout, "");
        assert.match(stderr, /event-pipeline:environment = "staging"/);
        assert.match(stderr, /event-pipeline:worker\.memory = 4096: is not a valid Fargate pair with cpu 256/);
        assert.doesNotMatch(stderr, STACK_TRACE_LINE);
    });

    it("--program with --policy-pack-config, --json and --sarif: paths from where npm was started, locations, exemptions, the SARIF file, exit 1", async () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "check-cli-"));
        const initCwd = process.env.INIT_CWD;
        try {
            const sarif = path.join(directory, "reports", "billing.sarif");
            // npm runs the script from the project root; INIT_CWD says where the user typed it.
            process.env.INIT_CWD = PROGRAMS;
            const { code, stdout, stderr } = await checkInProcess([
                "--program",
                "exempted-queue",
                "--stack",
                "test",
                "--policy-pack-config",
                "exempted-queue/policy-config.json",
                "--json",
                "--sarif",
                sarif,
            ]);
            assert.equal(code, 1, stderr);
            assert.doesNotMatch(stderr, STACK_TRACE_LINE);
            const document = JSON.parse(stdout) as {
                violations: { policyName: string; urn: string; location: { file: string; line: number; column: number } | null }[];
                exemptions: Record<string, unknown>[];
            };
            assert.ok(document.violations.length > 0);
            for (const v of document.violations) {
                assert.deepEqual(Object.keys(v.location ?? {}), ["file", "line", "column"], v.policyName);
                assert.equal(v.location?.file, "index.ts");
            }
            assert.ok(!document.violations.some((v) => v.policyName === "sqs-queue-encrypted" && v.urn.endsWith("::legacy-feed")), "exempted");
            assert.deepEqual(
                document.exemptions.map((e) => Object.keys(e)),
                document.exemptions.map(() => ["policy", "resource", "reason", "expires", "status", "urns"]),
            );
            assert.deepEqual(
                document.exemptions.map((e) => e.status),
                ["expired", "applied", "unused"],
            );
            const log = JSON.parse(fs.readFileSync(sarif, "utf8")) as { version: string; runs: { results: { suppressions?: unknown[] }[] }[] };
            assert.equal(log.version, "2.1.0");
            assert.equal(log.runs[0].results.filter((r) => r.suppressions).length, 1);
            assert.equal(console.log, consoleLog, "--json sends the program's console output to stderr only while it runs");
        } finally {
            process.env.INIT_CWD = initCwd;
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });

    it("the summary prints file:line with each violation and the component's creation", async () => {
        const { code, stdout } = await checkInProcess(["--program", path.join(PROGRAMS, "typescript"), "--stack", "test", "--preview"]);
        assert.equal(code, 1);
        assert.match(stdout, /^Program orders-ts in .*typescript\nStack test \(preview: outputs unknown\): 4 resources\n/);
        assert.match(stdout, /\n {2}sqs-queue-encrypted \(mandatory\): 1 violation\n {4}src\/order-queue\.ts:15 {2}urn:pulumi:test::orders-ts::orders:messaging:OrderQueue\$aws:sqs\/queue:Queue::orders\n {6}orders:messaging:OrderQueue 'orders' created here: src\/index\.ts:8\n {6}SQS queue 'orders' turns server-side encryption off/);
        assert.match(stdout, /\n {4}src\/index\.ts:9 {2}urn:pulumi:test::orders-ts::aws:sns\/topic:Topic::order-events\n/);
        assert.match(stdout, /\nFAILED: 7 mandatory violations\n\nFixed monthly cost, before any traffic [^\n]*\n(  [^\n]*\n)*  total \$\d+\.\d\d a month\n$/);
    });

    it("problems are one line each: a config key the program requires, its folder (exit 1), a config file that is not there (exit 2)", async () => {
        const missingKey = await checkInProcess(["--program", path.join(PROGRAMS, "secret-config"), "--stack", "missing"]);
        assert.equal(missingKey.code, 1);
        assert.equal(missingKey.stdout, "");
        assert.equal(
            missingKey.stderr,
            "the program requires config key 'notifier:apiToken', which Pulumi.missing.yaml does not set: add it under config: (pulumi config set --secret notifier:apiToken <value> --stack missing)\n",
        );
        const noFolder = await checkInProcess(["--program", path.join(PROGRAMS, "nope"), "--stack", "test"]);
        assert.deepEqual([noFolder.code, noFolder.stderr], [1, `--program ${path.join(PROGRAMS, "nope")}: no such folder\n`]);
        const noConfigFile = await checkInProcess(["--stack", "dev", "--policy-pack-config", "nope.json"]);
        assert.deepEqual([noConfigFile.code, noConfigFile.stderr], [2, "--policy-pack-config nope.json: no such file\n"]);
    });

    it("--help lists every flag and says the program's code runs, as under pulumi preview", async () => {
        const { code, stdout } = await checkInProcess(["--help"]);
        assert.equal(code, 0);
        for (const flag of ["--stack", "--program", "--policy-pack-config", "--preview", "--json", "--sarif", "--diagram"]) {
            assert.ok(stdout.includes(flag), flag);
        }
        assert.match(stdout, /its code RUNS, as under `pulumi preview`:\s+check only programs you would preview/);
    });

    it("a missing --stack is a usage error", () => {
        const { code, stderr } = check([]);
        assert.equal(code, 2);
        assert.match(stderr, /--stack is required/);
    });
});
