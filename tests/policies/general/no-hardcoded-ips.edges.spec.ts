import assert from "node:assert/strict";
import { noHardcodedIps } from "../../../policies/general/no-hardcoded-ips";
import { validateResource } from "../harness";

const lambda = (variables: Record<string, string>) => ({
    type: "aws:lambda/function:Function",
    props: { runtime: "nodejs22.x", handler: "index.handler", environment: { variables } },
});

describe("no-hardcoded-ips: allowedCidrs entries that are not text", () => {
    it("skips them and still applies the text entries", async () => {
        const run = { config: { allowedCidrs: [42, null, { cidr: "0.0.0.0/0" }, "203.0.113.0/24"] } };
        const violations = await validateResource(noHardcodedIps, lambda({ ALLOWED: "203.0.113.7", OTHER: "198.51.100.7" }), run);
        assert.deepEqual(
            violations.map((v) => v.message.match(/\d+\.\d+\.\d+\.\d+/)?.[0]),
            ["198.51.100.7"],
        );
    });
});

describe("no-hardcoded-ips: everywhere and the unspecified address name no host", () => {
    for (const text of ["0.0.0.0/0", "::/0", "0.0.0.0"]) {
        it(`${text} passes`, async () => {
            assert.deepEqual(await validateResource(noHardcodedIps, lambda({ BIND: text })), []);
        });
    }

    it("a host address next to them is still reported", async () => {
        assert.equal((await validateResource(noHardcodedIps, lambda({ BIND: "::/0", HOST: "2001:db8::7" }))).length, 1);
    });
});
