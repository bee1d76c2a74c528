import assert from "node:assert/strict";
import { lambdaRuntimeSupported as policy } from "../../../policies/lambda/lambda-runtime-supported";
import { RunOptions, UNKNOWN, validateResource } from "../harness";
import { assertRan, byName, MALFORMED_VALUES, pipeline } from "../pipeline-fixtures";

const worker = () => byName(pipeline("deployed"), "orders-consumer");

async function check(changes: Record<string, unknown>, run?: RunOptions, type = "aws:lambda/function:Function") {
    const violations = await validateResource(policy, { type, props: { ...worker().props, ...changes } }, run);
    assertRan(violations);
    return violations;
}

describe("lambda-runtime-supported", () => {
    it("is named, explained, mandatory and configurable", () => {
        assert.equal(policy.name, "lambda-runtime-supported");
        assert.match(policy.description, /deprecated/);
        assert.equal(policy.enforcementLevel, "mandatory");
        const defaults = policy.configSchema?.properties.deprecatedRuntimes.default as string[];
        assert.ok(defaults.includes("nodejs20.x") && !defaults.includes("nodejs22.x"));
    });

    describe("compliance", () => {
        for (const runtime of ["nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "java21", "ruby3.3", "provided.al2023", "dotnet10"]) {
            it(`passes ${runtime}`, async () => {
                assert.deepEqual(await check({ runtime }), []);
            });
        }

        it("passes a container-image function, which has no runtime", async () => {
            assert.deepEqual(await check({ runtime: undefined, packageType: "Image" }), []);
        });

        it("does not apply to other types", async () => {
            assert.deepEqual(await check({ runtime: "nodejs16.x" }, {}, "aws:lambda/layerVersion:LayerVersion"), []);
        });
    });

    describe("non-compliance", () => {
        for (const runtime of ["nodejs20.x", "nodejs18.x", "nodejs12.x", "python3.9", "python3.7", "ruby3.2", "go1.x", "java8", "dotnetcore3.1", "NODEJS20.X"]) {
            it(`flags ${runtime}`, async () => {
                const violations = await check({ runtime });
                assert.equal(violations.length, 1);
                assert.match(violations[0].message, new RegExp(`'subject' uses the deprecated runtime ${runtime.replace(".", "\\.")}: move it to a supported one`));
            });
        }

        it("follows a configured list", async () => {
            assert.equal((await check({ runtime: "nodejs22.x" }, { config: { deprecatedRuntimes: ["nodejs22.x"] } })).length, 1);
            assert.deepEqual(await check({ runtime: "nodejs20.x" }, { config: { deprecatedRuntimes: [] } }), []);
        });
    });

    describe("unknown values during preview", () => {
        it("passes a runtime not known until deploy time", async () => {
            assert.deepEqual(await check({ runtime: UNKNOWN }), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on runtime or the configured list = ${JSON.stringify(value)}`, async () => {
                await check({ runtime: value });
                await check({ runtime: "nodejs20.x" }, { config: { deprecatedRuntimes: value } });
            });
        }
    });
});

describe("lambda-runtime-supported without a configured list", () => {
    // A pack run with no config for the policy (getConfig() is {}): the built-in list applies.
    const noList = { config: { deprecatedRuntimes: undefined } };

    it("flags a deprecated runtime", async () => {
        const violations = await validateResource(policy, { type: "aws:lambda/function:Function", props: { runtime: "nodejs18.x" } }, noList);
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /deprecated runtime nodejs18\.x/);
    });

    it("passes a supported one", async () => {
        assert.deepEqual(await validateResource(policy, { type: "aws:lambda/function:Function", props: { runtime: "nodejs22.x" } }, noList), []);
    });
});
