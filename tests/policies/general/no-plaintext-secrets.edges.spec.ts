import assert from "node:assert/strict";
import { noPlaintextSecrets } from "../../../policies/general/no-plaintext-secrets";
import { validateResource } from "../harness";

describe("no-plaintext-secrets: a blank value is no secret", () => {
    it("DB_PASSWORD of spaces passes, in a function and in a container", async () => {
        const fn = { type: "aws:lambda/function:Function", props: { environment: { variables: { DB_PASSWORD: "   " } } } };
        const task = { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: JSON.stringify([{ name: "w", environment: [{ name: "DB_PASSWORD", value: " " }] }]) } };
        assert.deepEqual(await validateResource(noPlaintextSecrets, fn), []);
        assert.deepEqual(await validateResource(noPlaintextSecrets, task), []);
    });
});
