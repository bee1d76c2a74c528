/**
 * `--sarif`: valid SARIF 2.1.0 (validated with ajv against the schema kept in
 * tools/check/schemas/), the rules, results at the program's lines, fingerprints that stay the same
 * across runs, and exempted violations as suppressed results.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Log, Result } from "sarif";
import { policies } from "../../../policies/policies";
import { PolicyPackClient, startPolicyPack } from "../../../tools/analyzer";
import { CheckResult, runCheck } from "../../../tools/check/run-check";
import { FINGERPRINT_KEY, NOT_SECURITY, repositoryUrl, sarifContext, SECURITY_SEVERITY, toSarif } from "../../../tools/check/sarif";
import { THIS_PROJECT_POLICY_PACK_DIR, THIS_PROJECT_ROOT } from "../../../tools/project";

const PROGRAMS = path.join(THIS_PROJECT_ROOT, "tests", "programs");
const SCHEMA = path.join(THIS_PROJECT_ROOT, "tools", "check", "schemas", "sarif-2.1.0.json");
const README = path.join(THIS_PROJECT_POLICY_PACK_DIR, "README.md");

function sarifValidator() {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as object);
    return (log: unknown): string[] => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

describe("npm run check -- --sarif", function () {
    this.timeout(120_000);
    let client: PolicyPackClient;
    let directory: string;
    let validate: (log: unknown) => string[];
    let typescript: CheckResult;
    let log: Log;

    before(async () => {
        directory = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-"));
        // One advisory policy, so both levels appear.
        fs.writeFileSync(path.join(directory, "advisory.json"), JSON.stringify({ "sns-topic-tls-only": "advisory" }));
        client = await startPolicyPack(THIS_PROJECT_POLICY_PACK_DIR, { stack: { stack: "test", project: "programs" } });
        typescript = await runCheck({ stack: "test", program: path.join(PROGRAMS, "typescript"), client, policyPackConfig: path.join(directory, "advisory.json") });
        log = toSarif(typescript, sarifContext(typescript.program.root, {}));
        validate = sarifValidator();
    });
    after(async () => {
        await client?.close();
        fs.rmSync(directory, { recursive: true, force: true });
    });

    const results = () => log.runs[0].results ?? [];

    it("is valid SARIF 2.1.0, and the validator is live: a broken log is refused", () => {
        assert.deepEqual(validate(log), []);
        const broken = JSON.parse(JSON.stringify(log)) as Log;
        (broken.runs[0].results![0] as { level: string }).level = "fatal";
        delete (broken.runs[0].results![1] as { message?: unknown }).message;
        broken.runs[0].tool.driver.rules![0].helpUri = "not a uri";
        const errors = validate(broken);
        assert.ok(errors.some((e) => e.startsWith("/runs/0/results/0/level")), errors.join("\n"));
        assert.ok(errors.some((e) => e.startsWith("/runs/0/results/1") && e.includes("message")), errors.join("\n"));
        assert.ok(errors.some((e) => e.startsWith("/runs/0/tool/driver/rules/0/helpUri")), errors.join("\n"));
    });

    it("one analysis per program and stack: automationDetails.id is the code scanning category", () => {
        assert.equal(log.runs[0].automationDetails?.id, "npm-run-check/orders-ts/test/");
    });

    it("tool.driver: the pack's name and version, one rule per policy with descriptions and help", () => {
        const driver = log.runs[0].tool.driver;
        assert.equal(driver.name, "event-pipeline-guardrails");
        assert.equal(driver.version, JSON.parse(fs.readFileSync(path.join(THIS_PROJECT_POLICY_PACK_DIR, "package.json"), "utf8")).version);
        assert.deepEqual(driver.rules?.map((r) => r.id), policies.map((p) => p.name));
        for (const rule of driver.rules ?? []) {
            const policy = policies.find((p) => p.name === rule.id)!;
            assert.equal(rule.fullDescription?.text, policy.description);
            assert.ok(rule.shortDescription?.text && policy.description.startsWith(rule.shortDescription.text), rule.id);
            assert.ok(new URL(rule.helpUri!).protocol, rule.id);
        }
    });

    it("helpUri: each policy's row of policies/README.md", () => {
        const lines = fs.readFileSync(README, "utf8").split("\n");
        for (const rule of log.runs[0].tool.driver.rules ?? []) {
            const line = Number(/#L(\d+)$/.exec(rule.helpUri!)?.[1]);
            assert.ok(lines[line - 1]?.startsWith(`| \`${rule.id}\` |`), `${rule.id}: ${rule.helpUri} is not its row`);
        }
    });

    it("helpUri: this commit's README in GitHub Actions, else package.json's repository, else the file on disk", () => {
        const env = { GITHUB_SERVER_URL: "https://github.example.com", GITHUB_REPOSITORY: "acme/pipeline", GITHUB_SHA: "0123abc", GITHUB_WORKSPACE: THIS_PROJECT_ROOT };
        const inCi = sarifContext(THIS_PROJECT_ROOT, env);
        assert.equal(inCi.readmeUri, "https://github.example.com/acme/pipeline/blob/0123abc/policies/README.md");
        assert.match(inCi.helpUri("sqs-queue-encrypted"), /^https:\/\/github\.example\.com\/acme\/pipeline\/blob\/0123abc\/policies\/README\.md\?plain=1#L\d+$/);
        assert.match(inCi.helpUri("no-such-policy"), /README\.md#policies$/);
        // A workflow of another repository checking this pack: its workspace does not hold the pack.
        assert.doesNotMatch(sarifContext(THIS_PROJECT_ROOT, { ...env, GITHUB_WORKSPACE: os.tmpdir() }).readmeUri, /github\.example\.com/);
        assert.match(sarifContext(THIS_PROJECT_ROOT, {}).readmeUri, /^file:\/\/.*\/policies\/README\.md$/);
        for (const [repository, url] of [
            ["github:acme/pipeline", "https://github.com/acme/pipeline"],
            ["acme/pipeline", "https://github.com/acme/pipeline"],
            [{ type: "git", url: "git+https://github.com/acme/pipeline.git" }, "https://github.com/acme/pipeline"],
            ["git@gitlab.example.com:platform/pipeline.git", "https://gitlab.example.com/platform/pipeline"],
            ["", undefined],
            [undefined, undefined],
        ] as const) {
            assert.equal(repositoryUrl(repository), url, JSON.stringify(repository));
        }
    });

    it("rules about security are tagged and carry a security-severity; every policy is classified once", () => {
        for (const policy of policies) {
            assert.ok((policy.name in SECURITY_SEVERITY) !== NOT_SECURITY.includes(policy.name), `${policy.name}: classify it in SECURITY_SEVERITY or NOT_SECURITY (tools/check/sarif.ts)`);
        }
        for (const rule of log.runs[0].tool.driver.rules ?? []) {
            const severity = rule.properties?.["security-severity"] as string | undefined;
            const tags = rule.properties?.tags ?? [];
            if (rule.id in SECURITY_SEVERITY) {
                assert.ok(tags.includes("security"), rule.id);
                assert.match(severity ?? "", /^\d+\.\d$/);
                assert.ok(Number(severity) > 0 && Number(severity) <= 10, rule.id);
            } else {
                assert.ok(!tags.includes("security") && severity === undefined, rule.id);
            }
        }
    });

    it("one result per violation: rule, level by enforcement level, message, the line in the repository, the URN", () => {
        assert.equal(results().length, typescript.violations.length);
        const encrypted = results().find((r) => r.ruleId === "sqs-queue-encrypted")!;
        assert.equal(encrypted.level, "error");
        assert.match(encrypted.message.text!, /^SQS queue 'orders' turns server-side encryption off/);
        const location = encrypted.locations![0];
        assert.deepEqual(location.physicalLocation?.artifactLocation, { uri: "tests/programs/typescript/src/order-queue.ts", uriBaseId: "%SRCROOT%" });
        const line = fs.readFileSync(path.join(PROGRAMS, "typescript", "src", "order-queue.ts"), "utf8").split("\n")[location.physicalLocation!.region!.startLine! - 1];
        assert.match(line, /const queue = new aws\.sqs\.Queue\(/);
        assert.equal(location.logicalLocations?.[0].fullyQualifiedName, "urn:pulumi:test::orders-ts::orders:messaging:OrderQueue$aws:sqs/queue:Queue::orders");
        assert.deepEqual(
            encrypted.relatedLocations?.map((r) => [r.physicalLocation?.artifactLocation?.uri, r.message?.text]),
            [["tests/programs/typescript/src/index.ts", "orders:messaging:OrderQueue 'orders' created here"]],
        );
        assert.equal(results().find((r) => r.ruleId === "sns-topic-tls-only")?.level, "warning");
        assert.equal(results()[0].ruleIndex, policies.findIndex((p) => p.name === results()[0].ruleId));
    });

    it("fingerprints: the same for the same policy and URN across runs and line moves, distinct otherwise", async () => {
        const again = await runCheck({ stack: "test", program: path.join(PROGRAMS, "typescript"), client, policyPackConfig: path.join(directory, "advisory.json") });
        const secondLog = toSarif(again, sarifContext(again.program.root, {}));
        assert.equal(JSON.stringify(secondLog), JSON.stringify(log), "two runs write the same report");
        const fingerprints = (l: Log) => (l.runs[0].results ?? []).map((r) => r.partialFingerprints?.[FINGERPRINT_KEY]);
        assert.equal(new Set(fingerprints(log)).size, results().length, "distinct per result");
        const moved: CheckResult = { ...typescript, violations: typescript.violations.map((v) => ({ ...v, location: v.location && { ...v.location, line: v.location.line + 7 } })) };
        assert.deepEqual(fingerprints(toSarif(moved, sarifContext(moved.program.root, {}))), fingerprints(log));
        // Two violations of one policy on one resource (two statements of a policy) still differ.
        const doubled: CheckResult = { ...typescript, violations: [typescript.violations[0], { ...typescript.violations[0], message: `${typescript.violations[0].message} (2)` }] };
        const [first, second] = fingerprints(toSarif(doubled, sarifContext(doubled.program.root, {})));
        assert.notEqual(first, second);
    });

    it("exempted violations are results with an external suppression whose justification is the reason; a stack-wide one points at Pulumi.yaml", async () => {
        const root = path.join(PROGRAMS, "exempted-queue");
        const exempted = await runCheck({ stack: "test", program: root, client, policyPackConfig: path.join(root, "policy-config.json") });
        const sarif = toSarif(exempted, sarifContext(root, {}));
        assert.deepEqual(validate(sarif), []);
        const suppressed = (sarif.runs[0].results ?? []).filter((r: Result) => r.suppressions);
        assert.deepEqual(
            suppressed.map((r) => [r.ruleId, r.locations?.[0].logicalLocations?.[0].fullyQualifiedName, r.suppressions]),
            [
                [
                    "sqs-queue-encrypted",
                    "urn:pulumi:test::billing::aws:sqs/queue:Queue::legacy-feed",
                    [
                        {
                            kind: "external",
                            status: "accepted",
                            justification: "The mainframe bridge cannot read SSE queues (BILL-42).",
                            properties: { resource: "urn:pulumi:test::billing::aws:sqs/queue:Queue::legacy-feed", expires: "2099-12-31" },
                        },
                    ],
                ],
            ],
        );
        assert.equal((sarif.runs[0].results ?? []).length, exempted.violations.length + 1);

        const stackWide: CheckResult = { ...exempted, violations: [{ ...exempted.violations[0], urn: undefined, location: undefined, related: [] }], exemptions: [] };
        const [result] = toSarif(stackWide, sarifContext(root, {})).runs[0].results ?? [];
        assert.equal(result.locations?.[0].physicalLocation?.artifactLocation?.uri, "tests/programs/exempted-queue/Pulumi.yaml");
        assert.equal(result.locations?.[0].logicalLocations, undefined);
    });
});
