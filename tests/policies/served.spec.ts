/**
 * The built pack (policies/bin), started as the CLI starts it — `run-policy-pack` resolved from the
 * pack's folder, run there with `<engine-address> .`, its port read from its first line of output —
 * serves over the analyzer protocol exactly the policies of policies/policies.ts: same names in the
 * same order, `mandatory`, the same kind, description and config schema. Every one of these fails
 * when policies/bin is stale (an edited or added policy not rebuilt); the last test also compares
 * each compiled file with what the TypeScript compiler emits from its source today.
 *
 * tests/tools/analyzer/real-pack.spec.ts checks the client against this pack (names, levels, kinds);
 * this spec checks the pack: schemas, descriptions, the levels it reports violations at, and the build.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { policies } from "../../policies/policies";
import { AnalyzedResource, AnalyzerInfo, defaultsFromSchemas, PolicyPackClient, startPolicyPack, Violation } from "../../tools/analyzer";

const PACK_DIRECTORY = path.resolve(__dirname, "../../policies");
const REBUILD = "policies/bin is stale: rebuild it with npm run build:policies";

const isStackPolicy = (policy: (typeof policies)[number]) => "validateStack" in policy;
/** What survives the trip through a protobuf Struct: JSON. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as unknown;

describe("the built pack served over the analyzer protocol (run-policy-pack)", function () {
    this.timeout(60_000);
    let client: PolicyPackClient;
    let info: AnalyzerInfo;

    before(async () => {
        client = await startPolicyPack(PACK_DIRECTORY, { stack: { stack: "dev", project: "event-pipeline" } });
        info = await client.getAnalyzerInfo();
    });
    after(async () => {
        await client?.close();
    });

    it("starts as the CLI starts it and prints a port", () => {
        assert.ok(client.port > 0 && client.port <= 65535);
        const packageJson = JSON.parse(fs.readFileSync(path.join(PACK_DIRECTORY, "package.json"), "utf8")) as { main: string; version: string };
        assert.equal(packageJson.main, "bin/index.js", "the pack must run compiled JavaScript, not type-check TypeScript at every start");
        assert.equal(info.name, "event-pipeline-guardrails");
        assert.equal(info.version, packageJson.version);
        assert.equal(info.supportsConfig, true);
    });

    it("GetAnalyzerInfo lists every policy of policies/policies.ts, in order, and nothing else", () => {
        assert.deepEqual(
            info.policies.map((p) => p.name),
            policies.map((p) => p.name),
            REBUILD,
        );
    });

    it("every policy is served mandatory, as declared", () => {
        for (const policy of policies) {
            assert.equal(policy.enforcementLevel, "mandatory", `${policy.name} is not declared mandatory`);
        }
        assert.deepEqual(
            info.policies.map((p) => [p.name, p.enforcementLevel]),
            policies.map((p) => [p.name, "mandatory"]),
            REBUILD,
        );
    });

    it("every policy is served with its kind and description", () => {
        assert.deepEqual(
            info.policies.map((p) => [p.name, p.policyType, p.description]),
            policies.map((p) => [p.name, isStackPolicy(p) ? "stack" : "resource", p.description]),
            REBUILD,
        );
    });

    it("every policy is served with its config schema (properties, types, defaults, required)", () => {
        for (const policy of policies) {
            const served = info.policies.find((p) => p.name === policy.name);
            assert.ok(served, `${policy.name} is not served; ${REBUILD}`);
            if (policy.configSchema === undefined) {
                assert.deepEqual(served.configSchema?.properties ?? {}, {}, `${policy.name} serves a schema it does not declare; ${REBUILD}`);
                continue;
            }
            assert.ok(served.configSchema, `${policy.name} is served without its config schema; ${REBUILD}`);
            assert.deepEqual(served.configSchema.properties, asJson(policy.configSchema.properties), `${policy.name}: ${REBUILD}`);
            assert.deepEqual(served.configSchema.required ?? [], policy.configSchema.required ?? [], `${policy.name}: ${REBUILD}`);
        }
    });

    describe("Analyze and AnalyzeStack report violations at each policy's level", () => {
        const urn = (type: string, name: string) => `urn:pulumi:dev::event-pipeline::${type}::${name}`;
        const resource = (type: string, name: string, inputs: Record<string, unknown>): AnalyzedResource => ({
            urn: urn(type, name),
            type,
            name,
            inputs,
            protect: false,
            propertyDependencies: {},
        });
        const levels = (violations: Violation[]) => [...new Set(violations.map((v) => `${v.policyName}: ${v.enforcementLevel}`))].sort();

        before(async () => {
            await client.configure(defaultsFromSchemas(info));
            await client.configureStack({ stack: "dev", project: "event-pipeline", dryRun: true });
        });

        it("Analyze: an untagged log group without retention violates two policies, both mandatory", async () => {
            const violations = await client.analyze(resource("aws:cloudwatch/logGroup:LogGroup", "logs", {}));
            assert.deepEqual(levels(violations), ["log-retention-required: mandatory", "required-tags: mandatory"]);
        });

        it("AnalyzeStack: a lone queue violates the three stack policies every queue answers to, all mandatory", async () => {
            const violations = await client.analyzeStack([resource("aws:sqs/queue:Queue", "orders", {})]);
            assert.deepEqual(levels(violations), [
                "sqs-dead-letter-queue-required: mandatory",
                "sqs-queue-alarm-required: mandatory",
                "sqs-queue-tls-only: mandatory",
            ]);
        });

        it("Configure changes the level a violation is reported at (the served level is the default, not a constant)", async () => {
            const config = defaultsFromSchemas(info);
            config["log-retention-required"].enforcementLevel = "advisory";
            await client.configure(config);
            try {
                const violations = await client.analyze(resource("aws:cloudwatch/logGroup:LogGroup", "logs", {}));
                assert.deepEqual(levels(violations), ["log-retention-required: advisory", "required-tags: mandatory"]);
            } finally {
                await client.configure(defaultsFromSchemas(info));
            }
        });
    });

    it("every file of policies/bin is what the TypeScript compiler emits from its source today", () => {
        const parsed = ts.getParsedCommandLineOfConfigFile(path.join(PACK_DIRECTORY, "tsconfig.json"), {}, {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")),
        });
        assert.ok(parsed && parsed.fileNames.length > 0);
        const outDir = parsed.options.outDir ?? path.join(PACK_DIRECTORY, "bin");
        const stale: string[] = [];
        for (const source of parsed.fileNames) {
            const relative = path.relative(PACK_DIRECTORY, source);
            const compiled = path.join(outDir, relative.replace(/\.ts$/, ".js"));
            const expected = ts.transpileModule(fs.readFileSync(source, "utf8"), { compilerOptions: parsed.options, fileName: source }).outputText;
            if (!fs.existsSync(compiled)) {
                stale.push(`${relative}: not compiled`);
            } else if (fs.readFileSync(compiled, "utf8") !== expected) {
                stale.push(`${relative}: changed since it was compiled`);
            }
        }
        assert.deepEqual(stale, [], REBUILD);
    });
});
