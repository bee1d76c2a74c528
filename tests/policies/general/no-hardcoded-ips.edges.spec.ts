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

describe("no-hardcoded-ips: where an address is reported", () => {
    const pathsOf = async (variables: Record<string, string>) =>
        (await validateResource(noHardcodedIps, lambda(variables))).map((v) => v.message.match(/^Property '([^']*)' holds the IP address literal '([^']*)'\./)?.slice(1).join(" = "));

    it("inside a JSON string, at the path of the value that holds it (indented JSON too)", async () => {
        assert.deepEqual(await pathsOf({ CONFIG: '  {"upstream": {"hosts": ["198.51.100.7", "198.51.100.8"]}}' }), [
            "environment.variables.CONFIG.upstream.hosts[0] = 198.51.100.7",
            "environment.variables.CONFIG.upstream.hosts[1] = 198.51.100.8",
        ]);
        assert.deepEqual(await pathsOf({ HOSTS: '["198.51.100.7"]' }), ["environment.variables.HOSTS[0] = 198.51.100.7"]);
    });

    it("text that only looks like JSON is searched as text", async () => {
        assert.deepEqual(await pathsOf({ A: "[198.51.100.7", B: "{198.51.100.8}", C: "null 198.51.100.9" }), [
            "environment.variables.A = 198.51.100.7",
            "environment.variables.B = 198.51.100.8",
            "environment.variables.C = 198.51.100.9",
        ]);
    });

    it("the same address twice under one path is reported once, under two paths twice", async () => {
        assert.deepEqual(await pathsOf({ A: "198.51.100.7 and again 198.51.100.7", B: "198.51.100.7" }), [
            "environment.variables.A = 198.51.100.7",
            "environment.variables.B = 198.51.100.7",
        ]);
    });

    it("ends with a message that says how to fix it", async () => {
        const [violation] = await validateResource(noHardcodedIps, lambda({ HOST: "198.51.100.7" }));
        assert.match(
            violation!.message,
            / Refer to the resource that owns the address instead \(its output, a DNS or service-discovery name, a security group or a prefix list\); if this range is fixed on purpose, add it to this policy's allowedCidrs\.$/,
        );
    });
});

describe("no-hardcoded-ips: nesting", () => {
    const nested = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { level: nested(levels - 1, leaf) });
    const run = async (levels: number) =>
        validateResource(noHardcodedIps, { type: "aws:lambda/function:Function", props: { runtime: "nodejs22.x", settings: nested(levels, ["198.51.100.7"]) } });

    it("finds an address some levels down, with its path", async () => {
        const violations = await run(3);
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /^Property 'settings\.level\.level\.level\[0\]' holds/);
    });

    it("stops searching below 32 levels: the work per property is bounded", async () => {
        // The address sits `levels` objects and one list below the property's value.
        assert.equal((await run(31)).length, 1);
        assert.deepEqual(await run(32), []);
    });

    it("a JSON string counts as a level of its own", async () => {
        const asJson = (levels: number) =>
            validateResource(noHardcodedIps, { type: "aws:lambda/function:Function", props: { settings: JSON.stringify(nested(levels, ["198.51.100.7"])) } });
        assert.equal((await asJson(30)).length, 1);
        assert.deepEqual(await asJson(31), []);
    });
});
