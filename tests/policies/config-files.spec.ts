/**
 * policies/config.dev.json and policies/config.prod.json, read as `--policy-pack-config` reads
 * them and resolved against what the real pack serves (its policies, levels and config schemas):
 * every key names a policy, every property is declared by that policy's schema and valid against
 * it, and the values fit the stack whose file it is.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../../config";
import { policies } from "../../policies/policies";
import {
    AnalyzerInfo,
    loadPolicyConfigFile,
    PolicyConfigMap,
    PolicyPackClient,
    PolicyPackError,
    resolvePolicyConfig,
    startPolicyPack,
} from "../../tools/analyzer";
import { readStackConfig } from "../../tools/stack-files";

const ROOT = path.resolve(__dirname, "../..");
const PACK_DIRECTORY = path.join(ROOT, "policies");
const STACKS = ["dev", "prod"] as const;
const configFile = (stack: string) => path.join(PACK_DIRECTORY, `config.${stack}.json`);

describe("policy pack config files (policies/config.<stack>.json)", function () {
    this.timeout(60_000);
    let client: PolicyPackClient;
    let info: AnalyzerInfo;

    before(async () => {
        client = await startPolicyPack(PACK_DIRECTORY);
        info = await client.getAnalyzerInfo();
    });
    after(async () => {
        await client?.close();
    });

    it("the pack serves the policies of policies/policies.ts (else rebuild it: npm run build:policies)", () => {
        assert.deepEqual(
            info.policies.map((p) => p.name),
            policies.map((p) => p.name),
        );
    });

    for (const stack of STACKS) {
        describe(`config.${stack}.json`, () => {
            let raw: Record<string, unknown>;
            let resolved: PolicyConfigMap;

            before(() => {
                raw = JSON.parse(fs.readFileSync(configFile(stack), "utf8")) as Record<string, unknown>;
                resolved = resolvePolicyConfig(info, loadPolicyConfigFile(configFile(stack)));
            });

            it("names every policy of the pack, and nothing else (a misspelt name would be ignored by the CLI)", () => {
                assert.deepEqual(Object.keys(raw).sort(), policies.map((p) => p.name).sort());
            });

            it("sets only properties the policy's configSchema declares", () => {
                const undeclared: string[] = [];
                for (const [name, value] of Object.entries(raw)) {
                    if (typeof value !== "object" || value === null) {
                        continue;
                    }
                    const declared = Object.keys(info.policies.find((p) => p.name === name)?.configSchema?.properties ?? {});
                    for (const property of Object.keys(value)) {
                        if (property !== "enforcementLevel" && !declared.includes(property)) {
                            undeclared.push(`${name}.${property}`);
                        }
                    }
                }
                assert.deepEqual(undeclared, []);
            });

            it("resolves (defaults, then the file) to a config valid against every schema, every policy mandatory", () => {
                assert.deepEqual(Object.keys(resolved).sort(), policies.map((p) => p.name).sort());
                for (const [name, config] of Object.entries(resolved)) {
                    assert.equal(config.enforcementLevel, "mandatory", name);
                }
            });

            it("allows no public ingress port and no hard-coded CIDR", () => {
                assert.deepEqual(resolved["ec2-no-public-ingress"].properties.allowedPublicPorts, []);
                assert.deepEqual(resolved["no-hardcoded-ips"].properties.allowedCidrs, []);
            });

            it("requires ManagedBy besides the default tags, and the program's provider sets every required tag", () => {
                const required = resolved["required-tags"].properties.requiredTags as string[];
                for (const tag of ["Project", "Environment", "Owner", "ManagedBy"]) {
                    assert.ok(required.includes(tag), `requiredTags lacks ${tag}`);
                }
                const program = parseStackConfig(readStackConfig(ROOT, stack).config, stack);
                for (const tag of required) {
                    assert.ok((program.tags as Record<string, string>)[tag], `the ${stack} program does not set the tag ${tag}`);
                }
            });

            it(`treats ${stack} as ${stack === "prod" ? "persistent" : "disposable"}, as the program protects it`, () => {
                const persistent = resolved["disposable-environments"].properties.persistentStacks as string[];
                assert.deepEqual(persistent, ["prod"]);
                const program = parseStackConfig(readStackConfig(ROOT, stack).config, stack);
                assert.equal(persistent.includes(stack), program.protect);
            });

            it("caps log retention at a CloudWatch retention no shorter than the stack's own", () => {
                const max = resolved["log-retention-required"].properties.maxRetentionDays as number;
                const program = parseStackConfig(readStackConfig(ROOT, stack).config, stack);
                assert.ok(max >= program.logRetentionDays, `maxRetentionDays ${max} < the stack's logRetentionDays ${program.logRetentionDays}`);
                assert.ok(max <= 3653);
                assert.equal(max, stack === "dev" ? 30 : 731);
            });

            it("keeps AWS's six function timeouts per visibility timeout and the pack's dated list of deprecated runtimes", () => {
                assert.equal(resolved["sqs-visibility-timeout-covers-consumer"].properties.timeoutMultiple, 6);
                const runtimes = resolved["lambda-runtime-supported"].properties.deprecatedRuntimes as string[];
                assert.ok(runtimes.includes("nodejs20.x"));
                assert.ok(!runtimes.includes("nodejs22.x"), "the program's runtime must stay allowed");
            });
        });
    }

    it("the check is real: a property of the wrong type or an unknown level is rejected", () => {
        assert.throws(
            () => resolvePolicyConfig(info, { "log-retention-required": { properties: { maxRetentionDays: "forever" } } }),
            (e: unknown) => e instanceof PolicyPackError && /log-retention-required\.maxRetentionDays/.test(e.message),
        );
        assert.throws(
            () => resolvePolicyConfig(info, { "ec2-no-public-ingress": { properties: { allowedPublicPorts: [70000] } } }),
            (e: unknown) => e instanceof PolicyPackError && /allowedPublicPorts/.test(e.message),
        );
    });
});
