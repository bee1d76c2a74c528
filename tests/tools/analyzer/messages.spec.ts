/**
 * The protocol's messages on their own, field by field; client.spec.ts shows what a pack makes of
 * them on the other end of the wire.
 */
import assert from "node:assert/strict";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzedResource, PolicyPackError, secret, SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN, UNKNOWN_SENTINELS } from "../../../tools/analyzer";
import {
    analyzeRequest,
    analyzeStackRequest,
    analyzerInfo,
    configureRequest,
    configureStackRequest,
    violations,
} from "../../../tools/analyzer/messages";

const QUEUE: AnalyzedResource = {
    urn: "urn:pulumi:dev::p::aws:sqs/queue:Queue::orders",
    type: "aws:sqs/queue:Queue",
    name: "orders",
    inputs: { name: "orders-1", redrivePolicy: UNKNOWN, __defaults: [] },
    protect: false,
    propertyDependencies: { redrivePolicy: ["urn:dlq", "urn:topic"], policy: ["urn:topic"], name: [] },
};

function diagnostic(fields: { policyName: string; level: proto.EnforcementLevel; urn?: string }): proto.AnalyzeDiagnostic {
    const message = new proto.AnalyzeDiagnostic();
    message.setPolicyname(fields.policyName);
    message.setPolicypackname("pack");
    message.setPolicypackversion("1.0.0");
    message.setEnforcementlevel(fields.level);
    message.setMessage("description\nwhat is wrong");
    message.setDescription("description");
    message.setUrn(fields.urn ?? "");
    return message;
}

describe("analyzer client: the protocol's messages", () => {
    it("Analyze: the resource's inputs in the engine's form, its options with zero timeouts, no provider unless given", () => {
        const request = analyzeRequest(QUEUE);
        assert.deepEqual([request.getUrn(), request.getType(), request.getName()], [QUEUE.urn, QUEUE.type, QUEUE.name]);
        assert.deepEqual(request.getProperties()!.toJavaScript(), { name: "orders-1", redrivePolicy: UNKNOWN_SENTINELS.string });
        const options = request.getOptions()!;
        assert.equal(options.getProtect(), false);
        assert.equal(options.getDeletebeforereplacedefined(), false);
        assert.deepEqual(options.getCustomtimeouts()!.toObject(), { create: 0, update: 0, pb_delete: 0, read: 0 });
        assert.equal(options.getParent(), "");
        assert.equal(request.hasProvider(), false);
    });

    it("Analyze: parent, protect, deleteBeforeReplace, timeouts and the provider with its props", () => {
        const provider = { urn: "urn:provider", type: "pulumi:providers:aws", name: "aws", props: { region: "eu-west-1", token: secret("t") } };
        const request = analyzeRequest({
            ...QUEUE,
            parent: "urn:parent",
            protect: true,
            deleteBeforeReplace: false,
            customTimeouts: { create: 60 },
            ignoreChanges: ["tags"],
            provider,
        });
        const options = request.getOptions()!;
        assert.equal(options.getParent(), "urn:parent");
        assert.equal(options.getProtect(), true);
        assert.equal(options.getDeletebeforereplacedefined(), true);
        assert.equal(options.getDeletebeforereplace(), false);
        assert.deepEqual(options.getIgnorechangesList(), ["tags"]);
        assert.deepEqual(options.getCustomtimeouts()!.toObject(), { create: 60, update: 0, pb_delete: 0, read: 0 });
        const sent = request.getProvider()!;
        assert.deepEqual([sent.getUrn(), sent.getType(), sent.getName()], [provider.urn, provider.type, provider.name]);
        assert.deepEqual(sent.getProperties()!.toJavaScript(), { region: "eu-west-1", token: { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: "t" } });
    });

    it("AnalyzeStack: outputs (inputs when there are none), dependencies from the property dependencies unless given, empty ones left out", () => {
        const withOutputs = { ...QUEUE, parent: "urn:parent", outputs: { arn: "arn:aws:sqs:eu-west-1:1:orders-1" } };
        const [first, second, third] = analyzeStackRequest([withOutputs, QUEUE, { ...QUEUE, dependencies: ["urn:explicit"] }]).getResourcesList();
        assert.deepEqual(first.getProperties()!.toJavaScript(), withOutputs.outputs);
        assert.equal(first.getParent(), "urn:parent");
        assert.deepEqual(second.getProperties()!.toJavaScript(), { name: "orders-1", redrivePolicy: UNKNOWN_SENTINELS.string });
        assert.equal(second.getParent(), "");
        assert.deepEqual(second.getDependenciesList(), ["urn:dlq", "urn:topic"]);
        const propertyDependencies: Record<string, string[]> = {};
        second.getPropertydependenciesMap().forEach((entry, property) => (propertyDependencies[property] = entry.getUrnsList()));
        assert.deepEqual(propertyDependencies, { redrivePolicy: ["urn:dlq", "urn:topic"], policy: ["urn:topic"] });
        assert.deepEqual(third.getDependenciesList(), ["urn:explicit"]);
    });

    it("Configure: each policy's level and properties; an unknown level is refused, naming the policy", () => {
        const request = configureRequest({ "required-tags": { enforcementLevel: "mandatory", properties: { tags: ["Owner"] } } });
        const config = request.getPolicyconfigMap().get("required-tags")!;
        assert.equal(config.getEnforcementlevel(), proto.EnforcementLevel.MANDATORY);
        assert.deepEqual(config.getProperties()!.toJavaScript(), { tags: ["Owner"] });
        assert.throws(
            () => configureRequest({ "required-tags": { enforcementLevel: "loud" as "mandatory", properties: {} } }),
            (e: Error) => e instanceof PolicyPackError && e.message === `policy config for 'required-tags': invalid enforcement level "loud"`,
        );
    });

    it("ConfigureStack: stack, project, organization (empty by default), dry run (false by default) and tags", () => {
        const plain = configureStackRequest({ stack: "dev", project: "p" });
        assert.deepEqual([plain.getStack(), plain.getProject(), plain.getOrganization(), plain.getDryRun()], ["dev", "p", "", false]);
        const full = configureStackRequest({ stack: "dev", project: "p", organization: "acme", dryRun: true, tags: { team: "platform" } });
        assert.deepEqual([full.getOrganization(), full.getDryRun(), full.getTagsMap().get("team")], ["acme", true, "platform"]);
    });

    it("answers: a diagnostic without a URN is filed under the analyzed resource; levels become lowercase names", () => {
        const response = new proto.AnalyzeResponse();
        response.setDiagnosticsList([
            diagnostic({ policyName: "a", level: proto.EnforcementLevel.ADVISORY }),
            diagnostic({ policyName: "b", level: proto.EnforcementLevel.MANDATORY, urn: "urn:other" }),
        ]);
        assert.deepEqual(violations(response, QUEUE.urn), [
            { policyName: "a", policyPackName: "pack", policyPackVersion: "1.0.0", enforcementLevel: "advisory", message: "description\nwhat is wrong", description: "description", urn: QUEUE.urn },
            { policyName: "b", policyPackName: "pack", policyPackVersion: "1.0.0", enforcementLevel: "mandatory", message: "description\nwhat is wrong", description: "description", urn: "urn:other" },
        ]);
        assert.equal("urn" in violations(response)[0], false, "a stack policy's violation may have no URN");
        response.setDiagnosticsList([diagnostic({ policyName: "c", level: 42 as proto.EnforcementLevel })]);
        assert.throws(() => violations(response), /the policy pack answered with an unknown enforcement level \(42\)/);
    });

    it("GetAnalyzerInfo: policies with kind and schema, initial config, and PulumiPolicy.yaml's version over the pack's", () => {
        const response = new proto.AnalyzerInfo();
        response.setName("pack");
        response.setVersion("0.0.1");
        response.setSupportsconfig(true);
        const policy = new proto.PolicyInfo();
        policy.setName("required-tags");
        policy.setEnforcementlevel(proto.EnforcementLevel.MANDATORY);
        policy.setPolicyType(proto.PolicyType.POLICY_TYPE_STACK);
        const schema = new proto.PolicyConfigSchema();
        schema.setProperties(Struct.fromJavaScript({ tags: { type: "array" } }));
        schema.setRequiredList(["tags"]);
        policy.setConfigschema(schema);
        response.setPoliciesList([policy]);
        const initial = new proto.PolicyConfig();
        initial.setEnforcementlevel(proto.EnforcementLevel.DISABLED);
        response.getInitialconfigMap().set("required-tags", initial);

        const info = analyzerInfo(response, "2.0.0");
        assert.equal(info.version, "2.0.0");
        assert.equal(analyzerInfo(response).version, "0.0.1");
        assert.deepEqual(info.policies, [
            {
                name: "required-tags",
                displayName: "",
                description: "",
                enforcementLevel: "mandatory",
                policyType: "stack",
                configSchema: { properties: { tags: { type: "array" } }, required: ["tags"] },
            },
        ]);
        assert.deepEqual(info.initialConfig, { "required-tags": { enforcementLevel: "disabled", properties: {} } });
        assert.equal(info.supportsConfig, true);
    });
});
