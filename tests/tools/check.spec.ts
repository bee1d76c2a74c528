/** The command as users run it: exit codes, the --json contract, --diagram, errors without stack traces. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { THIS_PROJECT_ROOT } from "../../tools/project";

function check(args: string[], cwd = THIS_PROJECT_ROOT) {
    const result = spawnSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), path.join(THIS_PROJECT_ROOT, "tools/check.ts"), ...args], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: path.join(THIS_PROJECT_ROOT, "tsconfig.json") },
        timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

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
        };
        assert.deepEqual(Object.keys(document), ["stack", "resources", "violations"]);
        assert.equal(document.stack, "prod");
        assert.ok(document.resources.some((r) => r.type === "aws:sqs/queue:Queue" && r.urn.startsWith("urn:pulumi:prod::event-pipeline::")));
        for (const r of document.resources) {
            assert.deepEqual(Object.keys(r), ["urn", "type", "name", "parent", "inputs"]);
        }
        assert.deepEqual(document.violations, []);
    });

    it("prints the summary and a Mermaid diagram of topic → queues → DLQs, consumers and alarms", () => {
        const { code, stdout } = check(["--stack", "prod", "--diagram", "--preview"]);
        assert.equal(code, 0);
        assert.match(stdout, /Stack prod \(preview: outputs unknown\): \d+ resources/);
        assert.match(stdout, /aws:sqs\/queue:Queue/);
        assert.match(stdout, /\nPolicy pack event-pipeline-guardrails: \d+ policies\n/);
        assert.match(stdout, /PASSED: no mandatory violations/);
        assert.match(stdout, /```mermaid\nflowchart LR/);
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

    it("a missing --stack is a usage error", () => {
        const { code, stderr } = check([]);
        assert.equal(code, 2);
        assert.match(stderr, /--stack is required/);
    });
});
