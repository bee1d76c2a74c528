/**
 * The client against a throwaway pack that reports what it received, so these tests do not depend
 * on the real pack's policies.
 */
import assert from "node:assert/strict";
import {
    AnalyzedResource,
    parsePolicyConfig,
    PolicyPackClient,
    PolicyPackError,
    resolvePolicyConfig,
    secret,
    startPolicyPack,
    stringAsset,
    UNKNOWN,
    UNKNOWN_SENTINELS,
} from "../../../tools/analyzer";
import {
    createFixturePack,
    eventually,
    FIXTURE_PACK_NAME,
    FIXTURE_PACK_VERSION,
    FixturePack,
    processExists,
    reported,
    REPORTING_PACK,
} from "./fixture-pack";

const PROVIDER = {
    urn: "urn:pulumi:dev::event-pipeline::pulumi:providers:aws::main",
    type: "pulumi:providers:aws",
    name: "main",
    props: { region: "eu-west-1", defaultTags: '{"tags":{"Project":"p"}}' },
};
const QUEUE: AnalyzedResource = {
    urn: "urn:pulumi:dev::event-pipeline::app:Pipeline$aws:sqs/queue:Queue::orders",
    type: "aws:sqs/queue:Queue",
    name: "orders",
    parent: "urn:pulumi:dev::event-pipeline::app:Pipeline::pipeline",
    provider: PROVIDER,
    inputs: {
        name: "orders-1a2b3c4",
        redrivePolicy: UNKNOWN,
        tags: { Owner: secret("team@example.com"), __internal: "dropped" },
        code: stringAsset("exports.handler = () => {}"),
    },
    outputs: { name: "orders-1a2b3c4", arn: "arn:aws:sqs:eu-west-1:123456789012:orders-1a2b3c4" },
    protect: true,
    propertyDependencies: { redrivePolicy: ["urn:pulumi:dev::event-pipeline::aws:sqs/queue:Queue::orders-dlq"], name: [] },
};
const DLQ: AnalyzedResource = {
    urn: "urn:pulumi:dev::event-pipeline::aws:sqs/queue:Queue::orders-dlq",
    type: "aws:sqs/queue:Queue",
    name: "orders-dlq",
    inputs: { name: "orders-dlq" },
    protect: false,
    propertyDependencies: {},
};
const PIPELINE: AnalyzedResource = {
    urn: "urn:pulumi:dev::event-pipeline::app:Pipeline::pipeline",
    type: "app:Pipeline",
    name: "pipeline",
    inputs: {},
    protect: false,
    propertyDependencies: {},
};

describe("analyzer client: a throwaway pack", function () {
    this.timeout(60_000);
    let fixture: FixturePack;
    let client: PolicyPackClient;
    const lines: string[] = [];

    before(async () => {
        fixture = createFixturePack(REPORTING_PACK);
        client = await startPolicyPack(fixture.directory, {
            stack: { stack: "dev", project: "event-pipeline", dryRun: true, config: { "event-pipeline:owner": "team" } },
            onOutput: (line) => lines.push(line),
        });
    });
    after(async () => {
        await client?.close();
        fixture?.remove();
    });

    it("starts the pack and reads its port", () => {
        assert.ok(client.port > 0);
        assert.ok(client.startupMs > 0 && client.startupMs < 30_000);
        assert.ok(processExists(client.pid));
    });

    it("lists the pack's name, version from its package.json, and each policy with level, type and schema", async () => {
        const info = await client.getAnalyzerInfo();
        assert.equal(info.name, FIXTURE_PACK_NAME);
        assert.equal(info.version, FIXTURE_PACK_VERSION);
        assert.equal(info.supportsConfig, true);
        assert.deepEqual(
            info.policies.map((p) => [p.name, p.enforcementLevel, p.policyType]),
            [
                ["report-every-resource", "advisory", "resource"],
                ["report-stack", "mandatory", "stack"],
            ],
        );
        assert.deepEqual(info.policies[0].configSchema?.properties.limit, { type: "integer", default: 3, minimum: 0 });
    });

    it("sends inputs as the engine does: unknown as the sentinel, secrets unwrapped by the pack, internal keys dropped", async () => {
        const [violation] = await client.analyze(QUEUE);
        const seen = reported(violation);
        assert.deepEqual(seen.props, {
            name: "orders-1a2b3c4",
            redrivePolicy: UNKNOWN_SENTINELS.string,
            tags: { Owner: "team@example.com" },
            // The pack recognised the asset's signature and made it a StringAsset again.
            code: { asset: "StringAsset" },
        });
        assert.equal(seen.type, QUEUE.type);
        assert.equal(seen.name, "orders");
    });

    it("reports violations with policy, pack, lowercase level, message and the resource's URN", async () => {
        const [violation] = await client.analyze(QUEUE);
        assert.equal(violation.policyName, "report-every-resource");
        assert.equal(violation.policyPackName, FIXTURE_PACK_NAME);
        assert.equal(violation.policyPackVersion, FIXTURE_PACK_VERSION);
        assert.equal(violation.enforcementLevel, "advisory");
        assert.equal(violation.urn, QUEUE.urn);
        assert.equal(violation.description, "Reports every resource with what the pack received.");
        assert.match(violation.message, /^Reports every resource with what the pack received\.\n\{/);
    });

    it("sends resource options (protect, parent, timeouts) and the provider with its props", async () => {
        const seen = reported((await client.analyze(QUEUE))[0]);
        assert.deepEqual(seen.opts, {
            protect: true,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            parent: QUEUE.parent,
        });
        assert.deepEqual(seen.provider, PROVIDER);
        const unprotected = reported((await client.analyze({ ...DLQ, deleteBeforeReplace: true }))[0]);
        assert.equal((unprotected.opts as { protect: boolean }).protect, false);
        assert.equal((unprotected.opts as { deleteBeforeReplace: boolean }).deleteBeforeReplace, true);
        assert.equal(unprotected.provider, undefined);
    });

    it("configures with schema defaults overlaid by a config file, as getConfig() then shows", async () => {
        const info = await client.getAnalyzerInfo();
        await client.configure(resolvePolicyConfig(info, parsePolicyConfig({ "report-every-resource": { limit: 5 } })));
        assert.deepEqual(reported((await client.analyze(DLQ))[0]).config, { greeting: "hello", limit: 5 });

        await client.configure(resolvePolicyConfig(info, parsePolicyConfig({ "report-every-resource": { enforcementLevel: "mandatory" } })));
        assert.equal((await client.analyze(DLQ))[0].enforcementLevel, "mandatory");

        await client.configure(resolvePolicyConfig(info, parsePolicyConfig({ "report-every-resource": "disabled" })));
        assert.deepEqual(await client.analyze(DLQ), []);
        await client.configure(resolvePolicyConfig(info));
    });

    it("configures the stack (tags reach policies) and gives the pack the CLI's stack environment", async () => {
        await client.configureStack({ stack: "dev", project: "event-pipeline", organization: "acme", dryRun: true, tags: { team: "platform" } });
        const seen = reported((await client.analyze(DLQ))[0]);
        assert.deepEqual(seen.stackTags, { team: "platform" });
        assert.deepEqual(seen.env, { stack: "dev", project: "event-pipeline", dryRun: "true", config: '{"event-pipeline:owner":"team"}' });
    });

    it("analyzes the stack with outputs (else inputs), parent, dependencies and property dependencies as URNs", async () => {
        const violations = await client.analyzeStack([PIPELINE, QUEUE, DLQ]);
        assert.deepEqual(
            violations.map((v) => [v.policyName, v.enforcementLevel, v.urn]),
            [
                ["report-stack", "mandatory", PIPELINE.urn],
                ["report-stack", "mandatory", QUEUE.urn],
                ["report-stack", "mandatory", DLQ.urn],
            ],
        );
        const queue = reported(violations[1]);
        assert.deepEqual(queue.props, QUEUE.outputs);
        assert.equal(queue.parent, PIPELINE.urn);
        assert.deepEqual(queue.dependencies, [DLQ.urn]);
        // A property without dependencies is left out, as the engine does.
        assert.deepEqual(queue.propertyDependencies, { redrivePolicy: [DLQ.urn] });
        assert.deepEqual(queue.provider, { urn: PROVIDER.urn, props: PROVIDER.props });
        assert.deepEqual(reported(violations[2]).props, { name: "orders-dlq" });
        // Explicit dependencies win over the ones derived from property dependencies.
        const [, , explicit] = await client.analyzeStack([PIPELINE, QUEUE, { ...DLQ, dependencies: [PIPELINE.urn] }]);
        assert.deepEqual(reported(explicit).dependencies, [PIPELINE.urn]);
    });

    it("analyzes many resources in their order, with requests in flight at once", async () => {
        const resources = Array.from({ length: 40 }, (_, i) => ({ ...DLQ, urn: `${DLQ.urn}-${i}`, name: `dlq-${i}` }));
        for (const concurrency of [1, 8]) {
            const violations = await client.analyzeAll(resources, { concurrency });
            assert.deepEqual(
                violations.map((v) => v.urn),
                resources.map((r) => r.urn),
            );
        }
    });

    it("the runner ignores the engine address: the pack's logs go to its stdout (fails if that changes)", async () => {
        await client.analyze(DLQ);
        const logged = `info: [runtime] fixture analyzed ${DLQ.urn}`;
        assert.ok(await eventually(() => lines.includes(logged)), `expected the pack to print "${logged}"; it printed:\n${lines.join("\n")}`);
        assert.ok(client.output().stdout.includes(logged));
    });

    it("turns a policy's exception into an error with the pack's message and no stack frames", async () => {
        await assert.rejects(client.analyze({ ...DLQ, inputs: { throwPlease: true } }), (e: Error) => {
            assert.ok(e instanceof PolicyPackError);
            assert.match(e.message, new RegExp(`^Analyze of ${escape(DLQ.urn)} failed in policy pack '${FIXTURE_PACK_NAME}': `));
            assert.match(e.message, /the fixture policy was asked to throw/);
            assert.doesNotMatch(e.message, /\n\s+at /);
            assert.match(e.details ?? "", /\n\s+at /); // the frames are kept for whoever debugs the pack
            return true;
        });
    });
});

describe("analyzer client: closing, and a pack that dies", function () {
    this.timeout(60_000);
    const fixtures: FixturePack[] = [];
    const fixture = (indexJs: string) => {
        const created = createFixturePack(indexJs);
        fixtures.push(created);
        return created.directory;
    };
    after(() => fixtures.forEach((f) => f.remove()));

    it("close() stops the pack and leaves no process, not even a zombie; calls after it fail clearly", async () => {
        const client = await startPolicyPack(fixture(REPORTING_PACK));
        const pid = client.pid;
        await client.close();
        assert.equal(processExists(pid), false, `pack process ${pid} still exists after close()`);
        await client.close(); // a second close is harmless
        await assert.rejects(client.analyze(DLQ), /Analyze of .* is closed/);
    });

    it("a pack that dies while in use: calls fail saying it exited", async () => {
        const client = await startPolicyPack(fixture(REPORTING_PACK));
        try {
            process.kill(client.pid, "SIGKILL");
            await assert.rejects(client.analyze(DLQ), (e: Error) => {
                assert.ok(e instanceof PolicyPackError);
                assert.match(e.message, new RegExp(`^Analyze of ${escape(DLQ.urn)}: the policy pack in .* exited \\(SIGKILL\\)`));
                return true;
            });
        } finally {
            await client.close();
        }
    });
});

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
