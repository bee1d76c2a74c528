import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { policies } from "../../../policies/policies";
import {
    ConfigSources,
    configFilePath,
    PACK_DIRECTORY,
    readConfigSources,
    renderConfigFile,
    stackConfig,
} from "../../../policies/scripts/generate-config-files";

const REGENERATE = "run npx ts-node policies/scripts/generate-config-files.ts and commit the result";

describe("policies/scripts/generate-config-files", () => {
    const sources = readConfigSources();
    const stacks = Object.keys(sources.overrides);

    it("has one override per stack of the repository (Pulumi.<stack>.yaml)", () => {
        const repositoryStacks = fs
            .readdirSync(path.join(PACK_DIRECTORY, ".."))
            .map((file) => /^Pulumi\.([^.]+)\.yaml$/.exec(file)?.[1])
            .filter((stack): stack is string => stack !== undefined);
        assert.deepEqual([...stacks].sort(), repositoryStacks.sort());
    });

    for (const stack of ["dev", "prod"]) {
        it(`the committed policies/config.${stack}.json is what policies/config/ generates`, () => {
            const committed = fs.readFileSync(configFilePath(stack), "utf8");
            assert.ok(committed === renderConfigFile(stackConfig(sources, stack)), `policies/config.${stack}.json is stale: ${REGENERATE}`);
        });
    }

    it("leaves no generated file without its source", () => {
        const generated = fs
            .readdirSync(PACK_DIRECTORY)
            .map((file) => /^config\.(.+)\.json$/.exec(file)?.[1])
            .filter((stack): stack is string => stack !== undefined);
        assert.deepEqual(generated.sort(), [...stacks].sort(), `a policies/config.<stack>.json without policies/config/<stack>.json: remove it or ${REGENERATE}`);
    });

    it("lists every policy of the pack once, in base.json, and the stacks differ only in log retention and dev's fixed-cost budget", () => {
        assert.deepEqual(Object.keys(sources.base).sort(), policies.map((p) => p.name).sort());
        assert.deepEqual(sources.overrides, {
            dev: { "log-retention-required": { maxRetentionDays: 30 }, "stack-fixed-cost-budget": { maxMonthlyUsd: 6.5 } },
            prod: { "log-retention-required": { maxRetentionDays: 731 } },
        });
    });

    describe("stackConfig", () => {
        const fixture: ConfigSources = {
            base: { a: "mandatory", b: { enforcementLevel: "advisory", limit: 1, list: ["x"] } },
            overrides: { one: { a: { limit: 2 }, b: { limit: 3 } }, none: {}, unknown: { c: "mandatory" }, repeats: { b: { limit: 1, list: ["y"] } } },
        };

        it("lays each override over its policy's base entry, a bare level becoming the object's level", () => {
            assert.deepEqual(stackConfig(fixture, "one"), { a: { enforcementLevel: "mandatory", limit: 2 }, b: { enforcementLevel: "advisory", limit: 3, list: ["x"] } });
            assert.deepEqual(stackConfig(fixture, "none"), fixture.base);
        });

        it("refuses a policy that base.json lacks, a value base.json already has, and a stack without an override", () => {
            assert.throws(() => stackConfig(fixture, "unknown"), /'c' is not in policies\/config\/base\.json: add the policy there first/);
            assert.throws(() => stackConfig(fixture, "repeats"), /'b' repeats limit of base\.json: keep only what differs/);
            assert.throws(() => stackConfig(fixture, "staging"), /no policies\/config\/staging\.json/);
        });
    });

    it("renders two-space JSON with arrays of scalars on one line", () => {
        assert.equal(
            renderConfigFile({ a: "mandatory", b: { enforcementLevel: "mandatory", list: ["x", "y"], none: [], nested: { k: 1 } } }),
            '{\n  "a": "mandatory",\n  "b": {\n    "enforcementLevel": "mandatory",\n    "list": ["x", "y"],\n    "none": [],\n    "nested": {"k":1}\n  }\n}\n',
        );
    });
});
