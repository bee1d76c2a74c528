import assert from "node:assert/strict";
import { lambdaRuntimeSupported as policy } from "../../../policies/lambda/lambda-runtime-supported";
import { validateResource } from "../harness";

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
