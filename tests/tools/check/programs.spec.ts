/**
 * The check on programs written for these tests (tests/programs/), each judged by the built pack
 * as `npm run check -- --program <dir> --stack test` judges it, in update and in preview mode.
 * Each program marks the lines where violations are expected with `// expect: <policy> …` (one
 * name per violation); the check must report exactly those, each at its line.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { SECRET_SIGNATURE, SIGNATURE_KEY, startPolicyPack, PolicyPackClient } from "../../../tools/analyzer";
import { CheckResult, runCheck } from "../../../tools/check/run-check";
import { renderPolicyDocument } from "../../../tools/iam-policy-document";
import { THIS_PROJECT_POLICY_PACK_DIR, THIS_PROJECT_ROOT } from "../../../tools/project";

const PROGRAMS = path.join(THIS_PROJECT_ROOT, "tests", "programs");

interface Program {
    dir: string;
    /** A policy pack config file in the program's folder. */
    policyPackConfig?: string;
}

const PROGRAM_CASES: Program[] = [
    { dir: "typescript" },
    { dir: "javascript" },
    { dir: "secret-config" },
    { dir: "policy-document" },
    { dir: "exempted-queue", policyPackConfig: "policy-config.json" },
];

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" ? [] : sourceFiles(full);
        }
        return /\.(ts|js)$/.test(entry.name) ? [full] : [];
    });
}

/** `<policy> <file>:<line>` for every `// expect:` name in the program's files, sorted. */
function expectedFindings(root: string): string[] {
    const expected: string[] = [];
    for (const file of sourceFiles(root)) {
        fs.readFileSync(file, "utf8")
            .split("\n")
            .forEach((text, i) => {
                const names = /\/\/ expect: (.+)$/.exec(text)?.[1].trim().split(/\s+/) ?? [];
                for (const name of names) {
                    expected.push(`${name} ${path.relative(root, file).split(path.sep).join("/")}:${i + 1}`);
                }
            });
    }
    return expected.sort();
}

function actualFindings(result: CheckResult): string[] {
    return result.violations.map((v) => `${v.policyName} ${v.location ? `${v.location.file}:${v.location.line}` : "(no location)"}`).sort();
}

/** The 1-based line of the first line of `file` (in the program) that contains `text`. */
function lineOf(program: string, file: string, text: string): number {
    const index = fs.readFileSync(path.join(PROGRAMS, program, file), "utf8").split("\n").findIndex((line) => line.includes(text));
    assert.ok(index >= 0, `${text} is not in ${program}/${file}`);
    return index + 1;
}

describe("npm run check -- --program: programs written for the tests", function () {
    this.timeout(120_000);
    let client: PolicyPackClient;
    const results = new Map<string, CheckResult>();

    before(async () => {
        client = await startPolicyPack(THIS_PROJECT_POLICY_PACK_DIR, { stack: { stack: "test", project: "programs" } });
    });
    after(async () => {
        await client?.close();
    });

    async function check(program: Program, preview: boolean): Promise<CheckResult> {
        const key = `${program.dir}:${preview}`;
        let result = results.get(key);
        if (!result) {
            const root = path.join(PROGRAMS, program.dir);
            result = await runCheck({
                stack: "test",
                program: root,
                preview,
                client,
                policyPackConfig: program.policyPackConfig ? path.join(root, program.policyPackConfig) : undefined,
            });
            results.set(key, result);
        }
        return result;
    }

    for (const program of PROGRAM_CASES) {
        for (const preview of [false, true]) {
            it(`${program.dir} (${preview ? "preview" : "update"}): exactly the marked violations, each at its line`, async () => {
                const expected = expectedFindings(path.join(PROGRAMS, program.dir));
                assert.ok(expected.length > 0, "the program marks no violation");
                assert.deepEqual(actualFindings(await check(program, preview)), expected);
            });
        }
    }

    it("typescript: main is honoured; a component's child is at the component's line, the component's creation in the program related", async () => {
        const result = await check({ dir: "typescript" }, false);
        assert.equal(result.program.name, "orders-ts");
        const encrypted = result.violations.find((v) => v.policyName === "sqs-queue-encrypted");
        assert.equal(encrypted?.urn, "urn:pulumi:test::orders-ts::orders:messaging:OrderQueue$aws:sqs/queue:Queue::orders");
        assert.deepEqual(encrypted?.related, [
            { file: "src/index.ts", line: lineOf("typescript", "src/index.ts", "new OrderQueue("), column: 16, message: "orders:messaging:OrderQueue 'orders' created here" },
        ]);
        assert.equal(encrypted?.location?.column, 23);
    });

    it("javascript: a resource made by a helper is at the helper's line, each caller related; invokes give the default VPC", async () => {
        const result = await check({ dir: "javascript" }, false);
        const logs = result.violations.filter((v) => v.policyName === "log-retention-required").sort((a, b) => (a.urn! < b.urn! ? -1 : 1));
        assert.deepEqual(
            logs.map((v) => v.related.map((r) => `${r.file}:${r.line} ${r.message}`)),
            [[`index.js:${lineOf("javascript", "index.js", 'serviceLogs("web")')} called from here`], [`index.js:${lineOf("javascript", "index.js", 'serviceLogs("worker")')} called from here`]],
        );
        const group = result.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
        assert.match(String(group?.inputs.vpcId), /^vpc-0[0-9a-f]{16}$/);
    });

    it("secret-config: the secure: value reaches the function as a secret, and is still judged plain text in its environment", async () => {
        const result = await check({ dir: "secret-config" }, false);
        const fn = result.resources.find((r) => r.type === "aws:lambda/function:Function");
        const token = (fn?.inputs.environment as { variables: Record<string, unknown> }).variables.API_TOKEN as Record<string, unknown>;
        assert.equal(token[SIGNATURE_KEY], SECRET_SIGNATURE);
        assert.ok(result.violations.some((v) => v.policyName === "no-plaintext-secrets" && /API_TOKEN/.test(v.message)));
    });

    it("policy-document: the policy reaches the pack as the provider would render it", async () => {
        for (const preview of [false, true]) {
            const result = await check({ dir: "policy-document" }, preview);
            const reader = result.resources.find((r) => r.name === "report-reader");
            const expected = renderPolicyDocument({
                statements: [{ sid: "ReadReports", actions: ["s3:GetObject", "s3:ListBucket"], resources: ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"] }],
            }).json;
            assert.equal(reader?.inputs.policy, expected);
            assert.deepEqual(JSON.parse(expected).Statement[0].Action, ["s3:ListBucket", "s3:GetObject"]);
        }
    });

    it("exempted-queue: the exempted queue's violation is silenced, every exemption has its status", async () => {
        for (const preview of [false, true]) {
            const result = await check({ dir: "exempted-queue", policyPackConfig: "policy-config.json" }, preview);
            const legacy = "urn:pulumi:test::billing::aws:sqs/queue:Queue::legacy-feed";
            assert.deepEqual(
                result.exemptions.map((e) => [e.policy, e.resource, e.status, e.urns]),
                [
                    ["sqs-dead-letter-queue-required", "*::legacy-feed", "expired", []],
                    ["sqs-queue-encrypted", legacy, "applied", [legacy]],
                    ["sqs-queue-encrypted", "*::aws:sqs/queue:Queue::retired-*", "unused", []],
                ],
            );
            assert.ok(!result.violations.some((v) => v.policyName === "sqs-queue-encrypted" && v.urn === legacy), "exempted");
            assert.ok(result.violations.some((v) => v.policyName === "sqs-dead-letter-queue-required" && v.urn === legacy), "an expired exemption silences nothing");
            assert.deepEqual(result.exemptions[1].silenced.map((v) => `${v.location?.file}:${v.location?.line}`), [`index.ts:${lineOf("exempted-queue", "index.ts", 'Queue("legacy-feed"')}`]);
        }
    });
});
