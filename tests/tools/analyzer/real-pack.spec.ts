/**
 * The client against the real pack, compiled in policies/bin (`npm test` builds it first), as
 * `npm run check` drives it.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../../policies/policies";
import {
    AnalyzedResource,
    AnalyzerInfo,
    loadPolicyConfigFile,
    PolicyConfigMap,
    PolicyPackClient,
    resolvePolicyConfig,
    secret,
    startPolicyPack,
    UNKNOWN,
    Violation,
} from "../../../tools/analyzer";
import { THIS_PROJECT_POLICY_PACK_DIR } from "../../../tools/project";
import { processExists } from "./fixture-pack";

const DEV_CONFIG = path.join(THIS_PROJECT_POLICY_PACK_DIR, "config.dev.json");
const STALE_HINT = "if policies/policies.ts changed, rebuild the pack: npm run build:policies";

const urn = (type: string, name: string) => `urn:pulumi:dev::event-pipeline::${type}::${name}`;
const TAGS = { Project: "event-pipeline", Environment: "dev", Owner: "platform@example.com", ManagedBy: "pulumi" };
const TOPIC = "aws:sns/topic:Topic";
const QUEUE = "aws:sqs/queue:Queue";

function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<AnalyzedResource> = {}): AnalyzedResource {
    return { urn: urn(type, name), type, name, inputs, protect: false, propertyDependencies: {}, ...extra };
}

const of = (violations: Violation[], policyName: string) => violations.filter((v) => v.policyName === policyName);
const cantRun = (violations: Violation[]) => violations.filter((v) => /can't run/.test(v.message));

describe("analyzer client: the real pack (policies/)", function () {
    this.timeout(120_000);
    let client: PolicyPackClient;
    let info: AnalyzerInfo;
    let config: PolicyConfigMap;

    before(async () => {
        client = await startPolicyPack(THIS_PROJECT_POLICY_PACK_DIR);
        info = await client.getAnalyzerInfo();
        config = resolvePolicyConfig(info, ...(fs.existsSync(DEV_CONFIG) ? [loadPolicyConfigFile(DEV_CONFIG)] : []));
        await client.configure(config);
        await client.configureStack({ stack: "dev", project: "event-pipeline", dryRun: true });
    });
    after(async () => {
        const pid = client?.pid;
        await client?.close();
        if (pid !== undefined) {
            assert.equal(processExists(pid), false, "the pack's process outlived close()");
        }
    });

    /** The level a violation of `policyName` is reported at under the dev config. */
    const levelOf = (policyName: string) => config[policyName].enforcementLevel;

    it("serves the pack event-pipeline-guardrails with every policy of policies/policies.ts, its level and kind", () => {
        assert.equal(info.name, "event-pipeline-guardrails");
        const expected = policies.map((p) => [p.name, p.enforcementLevel ?? "advisory", "validateStack" in p ? "stack" : "resource"]);
        const served = info.policies.map((p) => [p.name, p.enforcementLevel, p.policyType]);
        assert.deepEqual(served, expected, STALE_HINT);
    });

    it("Analyze: a topic without a KMS key violates sns-topic-encrypted, reported against its URN", async () => {
        const topic = resource(TOPIC, "events", { name: "events-1a2b3c4", tags: TAGS });
        const violations = of(await client.analyze(topic), "sns-topic-encrypted");
        assert.equal(violations.length, 1, STALE_HINT);
        assert.equal(violations[0].urn, topic.urn);
        assert.equal(violations[0].policyPackName, "event-pipeline-guardrails");
        assert.equal(violations[0].enforcementLevel, levelOf("sns-topic-encrypted"));
        assert.match(violations[0].message, /kmsMasterKeyId/);
    });

    it("an unknown value reaches the pack as unknown: no violation, no \"can't run\" advisory", async () => {
        const topic = resource(TOPIC, "events", { name: UNKNOWN, kmsMasterKeyId: UNKNOWN, tags: UNKNOWN });
        const violations = await client.analyze(topic);
        assert.deepEqual(of(violations, "sns-topic-encrypted"), []);
        assert.deepEqual(of(violations, "required-tags"), []);
        assert.deepEqual(cantRun(violations), []);
    });

    it("a secret value reaches the pack as its value", async () => {
        const topic = resource(TOPIC, "events", {
            kmsMasterKeyId: secret("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
            tags: { Project: secret("event-pipeline"), Environment: secret("dev"), Owner: secret("platform@example.com"), ManagedBy: secret("pulumi") },
        });
        const violations = await client.analyze(topic);
        assert.deepEqual(of(violations, "sns-topic-encrypted"), []);
        assert.deepEqual(of(violations, "required-tags"), []);
        // And the same topic without them is judged, so the policies did look.
        const bare = await client.analyze(resource(TOPIC, "events", {}));
        assert.equal(of(bare, "sns-topic-encrypted").length, 1);
        assert.equal(of(bare, "required-tags").length, 1);
    });

    it("the provider's props reach the pack: its defaultTags (a JSON string) satisfy required-tags", async () => {
        const provider = {
            urn: urn("pulumi:providers:aws", "aws"),
            type: "pulumi:providers:aws",
            name: "aws",
            props: { region: "eu-west-1", defaultTags: JSON.stringify({ tags: TAGS }) },
        };
        const untagged = resource(TOPIC, "events", { kmsMasterKeyId: "alias/events" });
        assert.equal(of(await client.analyze(untagged), "required-tags").length, 1);
        assert.deepEqual(of(await client.analyze({ ...untagged, provider }), "required-tags"), []);
    });

    it("AnalyzeStack: a queue without a redrive policy violates sqs-dead-letter-queue-required; an unknown one does not", async () => {
        const queue = resource(QUEUE, "orders", { name: "orders-1a2b3c4", tags: TAGS });
        const violations = of(await client.analyzeStack([queue]), "sqs-dead-letter-queue-required");
        assert.deepEqual(
            violations.map((v) => [v.urn, v.enforcementLevel]),
            [[queue.urn, levelOf("sqs-dead-letter-queue-required")]],
            STALE_HINT,
        );
        const preview = await client.analyzeStack([{ ...queue, inputs: { ...queue.inputs, redrivePolicy: UNKNOWN } }]);
        assert.deepEqual(of(preview, "sqs-dead-letter-queue-required"), []);
        assert.deepEqual(cantRun(preview), []);
    });
});
