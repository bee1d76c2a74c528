/**
 * The pack's layout is its index: `policies/<service>/<policy-name>.ts` holds one policy, named
 * after its file (as cdk-nag derives a rule's name from its file), listed in policies/policies.ts,
 * with its spec at the mirrored path; `policies/lib/` holds the helpers, each with its spec.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { policies } from "../../policies/policies";

const PACK = path.resolve(__dirname, "../../policies");
const SPECS = __dirname;
/** Folders of the pack that are not a service: helpers, the config source, the generators, the build, dependencies. */
const NOT_SERVICES = new Set(["lib", "config", "scripts", "bin", "node_modules"]);

const directories = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const files = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
const isPolicy = (value: unknown): value is { name: unknown } =>
    typeof value === "object" && value !== null && ("validateResource" in value || "validateStack" in value);

const services = directories(PACK).filter((dir) => !NOT_SERVICES.has(dir)).sort();
const policyFiles = services.flatMap((service) => files(path.join(PACK, service)).map((file) => `${service}/${file}`));

describe("the pack's layout (policies/<service>/<policy-name>.ts)", () => {
    it("has service folders, each holding TypeScript files only", () => {
        assert.ok(services.length > 0);
        assert.deepEqual(policyFiles.filter((file) => !file.endsWith(".ts")), []);
    });

    for (const file of policyFiles.filter((f) => f.endsWith(".ts"))) {
        const fileName = path.basename(file, ".ts");
        describe(file, () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exported = Object.entries(require(path.join(PACK, file)) as Record<string, unknown>);

            it("exports one policy and nothing else (helpers live in policies/lib/)", () => {
                assert.deepEqual(
                    exported.map(([key, value]) => [key, isPolicy(value)]),
                    [[exported[0]?.[0], true]],
                    `${file} exports ${exported.map(([key]) => key).join(", ") || "nothing"}`,
                );
            });

            it(`is named after its file: ${fileName}`, () => {
                const [, policy] = exported[0] ?? [];
                assert.ok(isPolicy(policy));
                assert.equal(policy.name, fileName);
            });

            it("is listed in policies/policies.ts", () => {
                const [, policy] = exported[0] ?? [];
                assert.ok(isPolicy(policy));
                // The list serves each policy wrapped (exemptions), so it is found by its name, which the test below keeps unique.
                assert.ok(policies.some((listed) => listed.name === policy.name), `${fileName} is not in policies/policies.ts`);
            });

            it(`has its spec at tests/policies/${file.replace(/\.ts$/, ".spec.ts")}`, () => {
                assert.ok(fs.existsSync(path.join(SPECS, file.replace(/\.ts$/, ".spec.ts"))));
            });
        });
    }

    it("lists in policies/policies.ts only policies of those files, each once", () => {
        const names = policies.map((policy) => policy.name);
        assert.deepEqual([...names].sort(), policyFiles.map((file) => path.basename(file, ".ts")).sort());
    });

    it("gives every helper of policies/lib/ its spec at tests/policies/lib/", () => {
        const missing = files(path.join(PACK, "lib"))
            .filter((file) => file.endsWith(".ts"))
            .map((file) => `lib/${file.replace(/\.ts$/, ".spec.ts")}`)
            .filter((spec) => !fs.existsSync(path.join(SPECS, spec)));
        assert.deepEqual(missing, []);
    });

    it("has no spec in a service folder or lib/ without its subject", () => {
        const orphans = [...services, "lib"]
            .filter((dir) => fs.existsSync(path.join(SPECS, dir)))
            .flatMap((dir) => files(path.join(SPECS, dir)).map((file) => `${dir}/${file}`))
            .filter((spec) => spec.endsWith(".spec.ts") && !fs.existsSync(path.join(PACK, spec.replace(/\.spec\.ts$/, ".ts"))));
        assert.deepEqual(orphans, []);
    });
});
