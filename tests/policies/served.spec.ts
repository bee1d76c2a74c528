/**
 * The built pack (policies/bin), started as the CLI starts it — `run-policy-pack` resolved from the
 * pack's folder, run there with `<engine-address> .`, its port read from its first line of output —
 * serves over the analyzer protocol exactly the policies of policies/policies.ts: same names in the
 * same order, `mandatory`, the same kind, description and config schema. Every one of these fails
 * when policies/bin is stale (an edited or added policy not rebuilt); the last test also compares
 * each compiled file with what the TypeScript compiler emits from its source today.
 *
 * tests/tools/analyzer/real-pack.spec.ts checks the client against this pack (names, levels, kinds);
 * this spec checks the pack: schemas, descriptions, the levels it reports violations at, the build,
 * and the exemptions every policy accepts (violations silenced by Analyze and AnalyzeStack, a config
 * refused with the entry named before Configure, the README's example valid against the served schemas).
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { EXEMPTIONS_PROPERTY, exemptionsSchema, todayUtc } from "../../policies/lib/exemptions";
import { policies } from "../../policies/policies";
import { AnalyzedResource, AnalyzerInfo, defaultsFromSchemas, PolicyPackClient, PolicyPackError, resolvePolicyConfig, startPolicyPack, Violation } from "../../tools/analyzer";
import { urnOf } from "./harness";

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

const QUEUE = "aws:sqs/queue:Queue";

/** `YYYY-MM-DD`, `days` from today (UTC). */
function dayFromToday(days: number): string {
    return todayUtc(new Date(Date.now() + days * 86_400_000));
}

describe("policies/lib/exemptions: the built pack over the analyzer protocol", function () {
    this.timeout(60_000);
    let client: PolicyPackClient;
    let info: AnalyzerInfo;

    before(async () => {
        client = await startPolicyPack(PACK_DIRECTORY, { stack: { stack: "dev", project: "event-pipeline" } });
        info = await client.getAnalyzerInfo();
        await client.configureStack({ stack: "dev", project: "event-pipeline", dryRun: true });
    });
    after(async () => {
        await client?.close();
    });

    const resource = (name: string, inputs: Record<string, unknown>): AnalyzedResource => ({
        urn: urnOf(QUEUE, name),
        type: QUEUE,
        name,
        inputs,
        protect: false,
        propertyDependencies: {},
    });
    const policiesHit = (violations: { policyName: string; urn?: string }[], urn: string) =>
        violations.filter((v) => v.urn === urn).map((v) => v.policyName).sort();

    it("serves the exemptions schema for every policy", () => {
        for (const served of info.policies) {
            assert.deepEqual(served.configSchema?.properties[EXEMPTIONS_PROPERTY], JSON.parse(JSON.stringify(exemptionsSchema)), served.name);
        }
    });

    it("Analyze and AnalyzeStack drop the exempted resource's violations of the exempted policies only", async () => {
        const legacy = resource("legacy", { sqsManagedSseEnabled: false });
        const orders = resource("orders", { sqsManagedSseEnabled: false });
        const expires = dayFromToday(30);
        await client.configure(resolvePolicyConfig(info));
        const before = [...(await client.analyzeAll([legacy, orders])), ...(await client.analyzeStack([legacy, orders]))];
        assert.ok(policiesHit(before, legacy.urn).includes("sqs-queue-encrypted"));
        assert.ok(policiesHit(before, legacy.urn).includes("sqs-dead-letter-queue-required"));

        await client.configure(
            resolvePolicyConfig(info, {
                "sqs-queue-encrypted": { properties: { exemptions: [{ resource: legacy.urn, reason: "legacy consumer", expires }] } },
                "sqs-dead-letter-queue-required": { properties: { exemptions: [{ resource: "*::legacy", reason: "replayed by hand", expires }] } },
                "sqs-queue-tls-only": { properties: { exemptions: [{ resource: legacy.urn, reason: "expired", expires: dayFromToday(-1) }] } },
            }),
        );
        try {
            const after = [...(await client.analyzeAll([legacy, orders])), ...(await client.analyzeStack([legacy, orders]))];
            const silenced = ["sqs-dead-letter-queue-required", "sqs-queue-encrypted"];
            assert.deepEqual(
                policiesHit(after, legacy.urn),
                policiesHit(before, legacy.urn).filter((p) => !silenced.includes(p)),
                "exactly the two exempted policies are silenced for legacy; the expired one still reports",
            );
            assert.ok(policiesHit(after, legacy.urn).includes("sqs-queue-tls-only"));
            assert.deepEqual(policiesHit(after, orders.urn), policiesHit(before, orders.urn), "orders is not exempted");
        } finally {
            await client.configure(resolvePolicyConfig(info));
        }
    });

    describe("the config is refused with the entry named, as the CLI refuses it", () => {
        const refused = (exemptions: unknown, ...expected: RegExp[]) => {
            assert.throws(
                () => resolvePolicyConfig(info, { "sqs-queue-encrypted": { properties: { exemptions } } }),
                (e: unknown) => {
                    assert.ok(e instanceof PolicyPackError);
                    for (const pattern of expected) {
                        assert.match(e.message, pattern);
                    }
                    return true;
                },
            );
        };
        const valid = { resource: "*::legacy", reason: "legacy consumer", expires: "2030-01-31" };

        it("a day that does not exist, or a date in another format", () => {
            refused([valid, { ...valid, expires: "2026-02-30" }], /sqs-queue-encrypted\.exemptions\[1\]\.expires: "2026-02-30" is not a real date \(YYYY-MM-DD\)/);
            refused([{ ...valid, expires: "31.01.2030" }], /sqs-queue-encrypted\.exemptions\[0\]\.expires: "31\.01\.2030" is not a real date/);
            refused([{ ...valid, expires: 20300131 }], /sqs-queue-encrypted\.exemptions\[0\]\.expires: expected string, got integer/);
        });

        it("a missing or blank reason, a missing resource or expiry", () => {
            refused([{ resource: valid.resource, expires: valid.expires }], /sqs-queue-encrypted\.exemptions\[0\]\.reason: is required/);
            refused([{ ...valid, reason: "   " }], /sqs-queue-encrypted\.exemptions\[0\]\.reason: must not be blank/);
            refused([{ reason: valid.reason }], /exemptions\[0\]\.resource: is required/, /exemptions\[0\]\.expires: is required/);
        });

        it("a resource that could never match a URN, an unknown key, a list that is not a list", () => {
            refused([{ ...valid, resource: "legacy-queue" }], /sqs-queue-encrypted\.exemptions\[0\]\.resource: "legacy-queue" does not match/);
            refused([{ ...valid, reson: "typo" }], /sqs-queue-encrypted\.exemptions\[0\]\.reson: is not allowed/);
            refused(valid, /sqs-queue-encrypted\.exemptions: expected array, got object/);
        });

        it("a valid list passes", () => {
            assert.deepEqual(resolvePolicyConfig(info, { "sqs-queue-encrypted": { properties: { exemptions: [valid] } } })["sqs-queue-encrypted"].properties.exemptions, [valid]);
        });
    });

    it("policies/README.md documents exemptions with an example the served schemas accept", () => {
        const readme = fs.readFileSync(path.join(PACK_DIRECTORY, "README.md"), "utf8");
        const section = /^## Exemptions\n([\s\S]*?)^## /m.exec(readme)?.[1];
        assert.ok(section, "policies/README.md has no ## Exemptions section");
        const example = /```json\n([\s\S]*?)```/.exec(section)?.[1];
        assert.ok(example, "the section has no JSON example");
        const document = JSON.parse(example) as Record<string, { exemptions?: unknown[] }>;
        const resolved = resolvePolicyConfig(info, Object.fromEntries(Object.entries(document).map(([name, { exemptions }]) => [name, { properties: { exemptions } }])));
        assert.ok(Object.values(resolved).some((c) => Array.isArray(c.properties.exemptions) && c.properties.exemptions.length > 0));
        assert.match(section, /pulumi policy enable [^\n]* --config /);
    });
});
