/**
 * Exemptions served by the built pack (policies/bin) over the analyzer protocol, as the CLI drives
 * it: the schema of every policy, violations silenced by Analyze and AnalyzeStack, a config refused
 * with the entry named before Configure, and the README's example valid against the served schemas.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXEMPTIONS_PROPERTY, exemptionsSchema, todayUtc } from "../../../policies/lib/exemptions";
import { AnalyzedResource, AnalyzerInfo, PolicyPackClient, PolicyPackError, resolvePolicyConfig, startPolicyPack } from "../../../tools/analyzer";
import { urnOf } from "../harness";

const PACK_DIRECTORY = path.resolve(__dirname, "../../../policies");
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
