import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AnalyzerInfo,
    defaultsFromSchemas,
    loadPolicyConfigFile,
    overlayPolicyConfig,
    parsePolicyConfig,
    PolicyPackError,
    resolvePolicyConfig,
} from "../../../tools/analyzer";

const info: AnalyzerInfo = {
    name: "pack",
    displayName: "",
    version: "1.0.0",
    description: "",
    supportsConfig: true,
    initialConfig: {},
    policies: [
        {
            name: "required-tags",
            displayName: "",
            description: "",
            enforcementLevel: "mandatory",
            policyType: "resource",
            configSchema: {
                properties: { requiredTags: { type: "array", items: { type: "string" }, default: ["Project", "Owner"] } },
                required: [],
            },
        },
        {
            name: "log-retention-required",
            displayName: "",
            description: "",
            enforcementLevel: "advisory",
            policyType: "resource",
            configSchema: {
                properties: { maxRetentionDays: { type: "integer", minimum: 1, default: 3653 }, label: { type: "string" } },
                required: [],
            },
        },
        { name: "no-config", displayName: "", description: "", enforcementLevel: "mandatory", policyType: "stack" },
    ],
};

describe("analyzer client: policy config with the CLI's semantics", () => {
    it("starts every policy at its level with its schema's defaults", () => {
        assert.deepEqual(defaultsFromSchemas(info), {
            "required-tags": { enforcementLevel: "mandatory", properties: { requiredTags: ["Project", "Owner"] } },
            "log-retention-required": { enforcementLevel: "advisory", properties: { maxRetentionDays: 3653 } },
            "no-config": { enforcementLevel: "mandatory", properties: {} },
        });
    });

    it("gives copies of the defaults, so editing a config leaves the schema alone", () => {
        const config = defaultsFromSchemas(info);
        (config["required-tags"].properties.requiredTags as string[]).push("Team");
        assert.deepEqual(info.policies[0].configSchema!.properties.requiredTags.default, ["Project", "Owner"]);
    });

    it("reads a level string or an object with enforcementLevel and properties", () => {
        assert.deepEqual(
            parsePolicyConfig({
                "no-config": "advisory",
                "required-tags": { requiredTags: ["Team"] },
                "log-retention-required": { enforcementLevel: "disabled", maxRetentionDays: 30 },
                ignored: {},
            }),
            {
                "no-config": { enforcementLevel: "advisory" },
                "required-tags": { properties: { requiredTags: ["Team"] } },
                "log-retention-required": { enforcementLevel: "disabled", properties: { maxRetentionDays: 30 } },
            },
        );
    });

    it("rejects levels that do not exist and values that are neither string nor object", () => {
        assert.throws(() => parsePolicyConfig({ a: "strict" }, "config.dev.json"), /config\.dev\.json: 'a': "strict" is not an enforcement level/);
        assert.throws(() => parsePolicyConfig({ a: { enforcementLevel: 3 } }), /'a': enforcementLevel 3 is not one of/);
        assert.throws(() => parsePolicyConfig({ a: 3 }), /'a': 3 is not valid/);
        assert.throws(() => parsePolicyConfig([]), /must be a JSON object/);
    });

    it("overlays property by property, keeps the other defaults, and `all` sets every level", () => {
        const config = overlayPolicyConfig(defaultsFromSchemas(info), {
            all: { enforcementLevel: "advisory" },
            "log-retention-required": { properties: { maxRetentionDays: 90 } },
            "required-tags": { enforcementLevel: "mandatory" },
        });
        assert.deepEqual(config, {
            "required-tags": { enforcementLevel: "mandatory", properties: { requiredTags: ["Project", "Owner"] } },
            "log-retention-required": { enforcementLevel: "advisory", properties: { maxRetentionDays: 90 } },
            "no-config": { enforcementLevel: "advisory", properties: {} },
        });
    });

    it("refuses properties for a policy the pack does not have, naming the known ones", () => {
        assert.throws(
            () => overlayPolicyConfig(defaultsFromSchemas(info), { "requried-tags": { properties: { requiredTags: [] } } }),
            /'requried-tags': no such policy in the pack \(known: required-tags, log-retention-required, no-config\)/,
        );
    });

    it("applies the pack's initial config before the files", () => {
        const withInitial: AnalyzerInfo = { ...info, initialConfig: { "no-config": { enforcementLevel: "disabled" } } };
        assert.equal(resolvePolicyConfig(withInitial)["no-config"].enforcementLevel, "disabled");
        assert.equal(resolvePolicyConfig(withInitial, { "no-config": { enforcementLevel: "advisory" } })["no-config"].enforcementLevel, "advisory");
    });

    it("validates the result against each policy's schema, naming every bad key", () => {
        assert.throws(
            () =>
                resolvePolicyConfig(info, {
                    "required-tags": { properties: { requiredTags: ["Project", 7] } },
                    "log-retention-required": { properties: { maxRetentionDays: 0, label: false } },
                }),
            (e: Error) => {
                assert.ok(e instanceof PolicyPackError);
                assert.match(e.message, /required-tags\.requiredTags\[1\]: expected string, got integer/);
                assert.match(e.message, /log-retention-required\.maxRetentionDays: must be ≥ 1/);
                assert.match(e.message, /log-retention-required\.label: expected string, got boolean/);
                return true;
            },
        );
    });

    it("loads a config file; an empty file configures nothing; bad JSON names the file", () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
        try {
            const good = path.join(directory, "config.dev.json");
            fs.writeFileSync(good, JSON.stringify({ "required-tags": { requiredTags: ["Team"] } }));
            assert.deepEqual(resolvePolicyConfig(info, loadPolicyConfigFile(good))["required-tags"].properties, { requiredTags: ["Team"] });
            const empty = path.join(directory, "empty.json");
            fs.writeFileSync(empty, "  \n");
            assert.deepEqual(loadPolicyConfigFile(empty), {});
            const bad = path.join(directory, "bad.json");
            fs.writeFileSync(bad, "{ nope");
            assert.throws(() => loadPolicyConfigFile(bad), /bad\.json is not valid JSON/);
            assert.throws(() => loadPolicyConfigFile(path.join(directory, "missing.json")), /cannot read policy pack config .*missing\.json/);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });
});
