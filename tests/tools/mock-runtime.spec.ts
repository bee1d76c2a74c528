import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { UNKNOWN_SENTINELS } from "../../tools/analyzer";
import { MOCK_ACCOUNT_ID, physicalName, ProgramRun, runProgram } from "../../tools/mock-runtime";
import { THIS_PROJECT_NAME, THIS_PROJECT_ROOT } from "../../tools/project";
import { readStackConfig } from "../../tools/stack-files";
import { fixtureProgram, one, runFixture, TYPES } from "../support/recorded";
import { sharedStackRun } from "../support/stack-runs";

// Not in the SDK's typings, but the runtime's own test for a secret config key (pinned SDK version).
const { isConfigSecret } = runtimeConfig as unknown as { isConfigSecret(key: string): boolean };

describe("tools/mock-runtime: runProgram", () => {
    let update: ProgramRun;
    let preview: ProgramRun;

    before(async () => {
        update = await sharedStackRun("dev");
        preview = await sharedStackRun("dev", true);
    });

    it("records each resource's type, name and parent, with URNs carrying the stack and the parent's type chain", () => {
        const component = one(update, TYPES.consumerQueue, "order-audit");
        const queue = one(update, TYPES.queue, "order-audit");
        assert.equal(queue.parent, component.urn);
        assert.equal(queue.urn, `urn:pulumi:dev::event-pipeline::${TYPES.consumerQueue}$${TYPES.queue}::order-audit`);
        assert.equal(component.parent, undefined);
        assert.equal(component.custom, false);
        assert.equal(queue.custom, true);
    });

    it("records the explicit provider's URN (not the engine's urn::id reference) for custom resources only", () => {
        const provider = one(update, TYPES.provider, "aws");
        assert.equal(provider.urn, "urn:pulumi:dev::event-pipeline::pulumi:providers:aws::aws");
        assert.equal(one(update, TYPES.queue, "order-audit").provider, provider.urn);
        assert.equal(one(update, TYPES.consumerQueue, "order-audit").provider, undefined);
    });

    it("records property dependencies: which resources each input was built from", () => {
        const policy = one(update, TYPES.queuePolicy, "order-audit-dlq-policy");
        const deadLetterQueue = one(update, TYPES.queue, "order-audit-dlq");
        const topic = one(update, TYPES.topic, "events");
        assert.deepEqual(policy.propertyDependencies.queueUrl, [deadLetterQueue.urn]);
        assert.deepEqual([...policy.propertyDependencies.policy!].sort(), [deadLetterQueue.urn, topic.urn].sort());
        assert.ok(policy.dependencies.includes(deadLetterQueue.urn));
    });

    it("records explicit dependsOn and protect", async () => {
        const fn = one(update, TYPES.function, "order-audit");
        assert.ok(fn.dependencies.includes(one(update, TYPES.rolePolicy, "order-audit-policy").urn));
        assert.equal(fn.protect, false);
        const protectedTopic = await runFixture("event-topic", { protect: true });
        assert.equal(one(protectedTopic, TYPES.topic).protect, true);
        assert.equal(one(protectedTopic, TYPES.topicPolicy).protect, false);
    });

    it("fills in the generated name of auto-named resources, and keeps a name the program set", () => {
        const queue = one(update, TYPES.queue, "order-audit");
        assert.equal(queue.inputs.name, physicalName(TYPES.queue, "order-audit"));
        assert.match(String(queue.inputs.name), /^order-audit-[0-9a-f]{7}$/);
        assert.notEqual(physicalName(TYPES.queue, "order-audit"), physicalName(TYPES.queue, "order-audit-dlq"));
        assert.notEqual(physicalName(TYPES.queue, "x"), physicalName(TYPES.topic, "x"));
        assert.equal(one(update, TYPES.dashboard).inputs.dashboardName, "event-pipeline-dev");
    });

    it("returns realistic computed attributes in an update: ARNs and URLs in the stack's region and the mock account", () => {
        const queue = one(update, TYPES.queue, "order-audit");
        const name = String(queue.inputs.name);
        assert.equal(queue.outputs.arn, `arn:aws:sqs:us-east-1:${MOCK_ACCOUNT_ID}:${name}`);
        assert.equal(queue.outputs.url, `https://sqs.us-east-1.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}`);
        assert.equal(one(update, TYPES.function).outputs.arn, `arn:aws:lambda:us-east-1:${MOCK_ACCOUNT_ID}:function:${String(one(update, TYPES.function).inputs.name)}`);
        // Inputs built from those attributes carry the resolved values.
        assert.equal(one(update, TYPES.subscription, "order-audit-subscription").inputs.endpoint, queue.outputs.arn);
    });

    it("answers invokes: getCallerIdentity gives the mock account", () => {
        const policy = JSON.parse(String(one(update, TYPES.kmsKey).inputs.policy)) as { Statement: { Principal: unknown }[] };
        assert.deepEqual(policy.Statement[0]!.Principal, { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` });
    });

    it("in preview, leaves computed attributes unknown but the generated names known", () => {
        assert.equal(preview.preview, true);
        const queue = one(preview, TYPES.queue, "order-audit");
        assert.equal(queue.outputs.arn, UNKNOWN_SENTINELS.string);
        assert.equal(queue.outputs.url, UNKNOWN_SENTINELS.string);
        assert.equal(queue.inputs.name, physicalName(TYPES.queue, "order-audit"));
        const policy = one(preview, TYPES.queuePolicy, "order-audit-policy");
        assert.equal(policy.inputs.policy, UNKNOWN_SENTINELS.string);
        assert.equal(policy.inputs.queueUrl, UNKNOWN_SENTINELS.string);
        // The dependencies still say where the unknown values come from.
        assert.deepEqual(policy.propertyDependencies.queueUrl, [queue.urn]);
    });

    it("in preview, resolves outputs it can know and leaves unknown ones undefined", () => {
        assert.equal(preview.outputs.topicArn, undefined);
        assert.equal(preview.outputs.dashboardUrl, update.outputs.dashboardUrl);
    });

    it("starts each run afresh: another program's run records only its own resources", async () => {
        const run = await runFixture("event-topic");
        assert.deepEqual(run.resources.map((r) => r.type).sort(), [TYPES.eventTopic, TYPES.provider, TYPES.topic, TYPES.topicPolicy].sort());
        assert.equal(run.stack, "test");
    });

    it("runs a program under the project name it is given, this project's by default", async () => {
        const other = await runProgram({
            stack: "test",
            project: "other-project",
            config: { "aws:region": "us-east-1", "fixture:args": "{}" },
            program: fixtureProgram("event-topic"),
        });
        assert.match(one(other, TYPES.topic).urn, /^urn:pulumi:test::other-project::/);
        assert.match(one(update, TYPES.topic, "events").urn, new RegExp(`^urn:pulumi:dev::${THIS_PROJECT_NAME}::`));
    });

    it("marks the config keys it is given as secret (a secure: value in a stack file) and no others", async () => {
        await runProgram({
            stack: "test",
            config: { "aws:region": "us-east-1", "fixture:args": "{}", "fixture:token": "[secret]" },
            secretKeys: ["fixture:token"],
            program: fixtureProgram("event-topic"),
        });
        assert.equal(isConfigSecret("fixture:token"), true);
        assert.equal(isConfigSecret("fixture:args"), false);
        await runFixture("event-topic");
        assert.equal(isConfigSecret("fixture:token"), false);
    });

    it("records where each resource was created: the SDK's source position and the calls that led there, up to the harness", () => {
        const lineAt = (file: string, line: number) => fs.readFileSync(path.join(THIS_PROJECT_ROOT, file), "utf8").split("\n")[line - 1] ?? "";
        const queue = one(update, TYPES.queue, "order-audit");
        assert.equal(path.relative(THIS_PROJECT_ROOT, queue.sourcePosition!.file), path.join("components", "consumer-queue.ts"));
        const created = lineAt("components/consumer-queue.ts", queue.sourcePosition!.line);
        assert.equal(created.slice(queue.sourcePosition!.column - 1, queue.sourcePosition!.column - 1 + "new aws.sqs.Queue(".length), "new aws.sqs.Queue(");
        const frames = queue.stackTrace!.map((frame) => `${path.relative(THIS_PROJECT_ROOT, frame.file)}:${frame.line}`);
        assert.equal(frames[0], `${path.join("components", "consumer-queue.ts")}:${queue.sourcePosition!.line}`);
        const caller = queue.stackTrace!.find((frame) => frame.file === path.join(THIS_PROJECT_ROOT, "index.ts"));
        assert.ok(caller, `index.ts is among the calls: ${frames.join(" < ")}`);
        assert.match(lineAt("index.ts", caller.line), /new ConsumerQueue\(/);
        assert.ok(!frames.some((frame) => frame.startsWith("tools") || frame.startsWith("tests")), `the harness and its callers are cut off: ${frames.join(" < ")}`);
        // A resource created by a library's class (the provider's constructor) is still traced to the program.
        const provider = one(update, TYPES.provider, "aws");
        assert.ok(provider.stackTrace!.some((frame) => frame.file === path.join(THIS_PROJECT_ROOT, "index.ts")));
    });

    it("answers an invoke in the region of its explicit provider, else the stack's", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "mock-runtime-"));
        try {
            fs.writeFileSync(
                path.join(root, "index.js"),
                'const aws = require("@pulumi/aws");\nconst p = new aws.Provider("tokyo", { region: "ap-northeast-1" });\n' +
                    'exports.there = aws.getRegionOutput({}, { provider: p }).name;\nexports.here = aws.getRegionOutput().name;\n',
            );
            const run = await runProgram({ stack: "test", config: { "aws:region": "eu-west-1" }, program: path.join(root, "index.js"), root, project: "regions" });
            assert.deepEqual(run.outputs, { there: "ap-northeast-1", here: "eu-west-1" });
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("makes a stack file's secure: value a secret the program sees as one", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "mock-runtime-"));
        try {
            fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: event-pipeline\nruntime: nodejs\n");
            fs.writeFileSync(path.join(root, "Pulumi.x.yaml"), 'config:\n  aws:region: us-east-1\n  fixture:args: "{}"\n  fixture:token:\n    secure: AAABAHNlY3JldA==\n');
            const { config, secretKeys } = readStackConfig(root, "x");
            await runProgram({ stack: "x", config, secretKeys, program: fixtureProgram("event-topic") });
            assert.equal(isConfigSecret("fixture:token"), true);
            assert.equal(isConfigSecret("aws:region"), false);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});
