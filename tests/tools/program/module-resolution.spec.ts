/**
 * Another team's program, run by the mock runtime from wherever it lives: its imports resolve from
 * its own node_modules first, else from this project's; the mocks go on the @pulumi/pulumi it
 * actually loads; a module found nowhere or a config key it requires and lacks is one clear line;
 * nothing is written into its folder.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runProgram } from "../../../tools/mock-runtime";
import { isProgramFile } from "../../../tools/program/module-resolution";
import { ProgramError } from "../../../tools/program/program-error";
import { readPulumiProgram } from "../../../tools/program/pulumi-program";
import { THIS_PROJECT_ROOT } from "../../../tools/project";
import { readStackConfig } from "../../../tools/stack-files";

const PROGRAMS = path.join(THIS_PROJECT_ROOT, "tests", "programs");

/** Every file under `dir` (path and content), so an added, changed or removed file changes it. */
function treeHash(dir: string): string {
    const hash = createHash("sha256");
    const walk = (current: string) => {
        for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const full = path.join(current, entry.name);
            hash.update(`${path.relative(dir, full)}\n`);
            if (entry.isDirectory()) {
                walk(full);
            } else if (entry.isFile()) {
                hash.update(fs.readFileSync(full));
            }
        }
    };
    walk(dir);
    return hash.digest("hex");
}

/** Runs the program in `dir` for `stack` as the check does. */
function run(dir: string, stack = "test") {
    const program = readPulumiProgram(dir);
    const { config, secretKeys } = readStackConfig(program.root, stack);
    return runProgram({ stack, config, secretKeys, program: program.entry, project: program.name, root: program.root });
}

describe("tools/program: another program's modules", function () {
    this.timeout(60_000);
    let outside: string;

    beforeEach(() => {
        outside = fs.mkdtempSync(path.join(os.tmpdir(), "program-"));
    });
    afterEach(() => {
        fs.rmSync(outside, { recursive: true, force: true });
    });

    it("tells the program's own files from everything else", () => {
        assert.equal(isProgramFile("/p/index.ts", "/p"), true);
        assert.equal(isProgramFile("/p/src/a.ts", "/p"), true);
        assert.equal(isProgramFile("/p/node_modules/x/index.js", "/p"), false);
        assert.equal(isProgramFile("/p/src/node_modules/x.js", "/p"), false);
        assert.equal(isProgramFile("/q/index.ts", "/p"), false);
        assert.equal(isProgramFile("/p", "/p"), false);
    });

    it("a TypeScript program outside this repository, without package.json, tsconfig.json or node_modules, runs on this project's modules — and its folder is left as it was", async () => {
        fs.cpSync(path.join(PROGRAMS, "typescript"), outside, { recursive: true });
        assert.ok(!fs.existsSync(path.join(outside, "node_modules")) && !fs.existsSync(path.join(outside, "tsconfig.json")));
        const before = treeHash(outside);
        const copied = await run(outside);
        const original = await run(path.join(PROGRAMS, "typescript"));
        assert.deepEqual(copied.resources.map((r) => r.urn).sort(), original.resources.map((r) => r.urn).sort());
        assert.ok(copied.resources.some((r) => r.type === "aws:sqs/queue:Queue"));
        assert.equal(treeHash(outside), before, "nothing may be written into the program's folder");
    });

    it("a module found neither in the program's node_modules nor in this project's is named, with the file importing it", async () => {
        fs.writeFileSync(path.join(outside, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        fs.writeFileSync(path.join(outside, "Pulumi.test.yaml"), "config: {}\n");
        fs.writeFileSync(path.join(outside, "index.ts"), 'import "./helpers";\n');
        fs.writeFileSync(path.join(outside, "helpers.ts"), 'import * as shapes from "@acme/pulumi-shapes";\nexport const s = shapes;\n');
        await assert.rejects(run(outside), (e: unknown) => {
            assert.ok(e instanceof ProgramError, String(e));
            assert.match(e.message, /^Cannot find module '@acme\/pulumi-shapes' imported by helpers\.ts: it is neither in the program's node_modules nor in the check's/);
            assert.doesNotMatch(e.message, /\n/);
            return true;
        });
        fs.writeFileSync(path.join(outside, "helpers.ts"), 'import "./missing";\n');
        await assert.rejects(run(outside), (e: unknown) => e instanceof ProgramError && e.message === "Cannot find module './missing' imported by helpers.ts");
    });

    it("a config key the program requires and the stack file lacks is one line naming the key", async () => {
        await assert.rejects(run(path.join(PROGRAMS, "secret-config"), "missing"), (e: unknown) => {
            assert.ok(e instanceof ProgramError, String(e));
            assert.equal(
                e.message,
                "the program requires config key 'notifier:apiToken', which Pulumi.missing.yaml does not set: add it under config: " +
                    "(pulumi config set --secret notifier:apiToken <value> --stack missing)",
            );
            return true;
        });
    });

    it("a program exporting a function (async or not) is run as the language host runs it: its result is the outputs", async () => {
        fs.writeFileSync(path.join(outside, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        fs.writeFileSync(path.join(outside, "Pulumi.test.yaml"), "config:\n  aws:region: us-east-1\n");
        fs.writeFileSync(
            path.join(outside, "index.js"),
            'const aws = require("@pulumi/aws");\nmodule.exports = async () => {\n  const q = new aws.sqs.Queue("q");\n  return { queueName: q.name, answer: 42 };\n};\n',
        );
        const result = await run(outside);
        assert.deepEqual(result.resources.map((r) => r.name), ["q"]);
        assert.equal(result.outputs.answer, 42);
        assert.match(String(result.outputs.queueName), /^q-[0-9a-f]{7}$/);
    });

    it("the mocks are installed on the @pulumi/pulumi the program loads: its own copy in its node_modules, even one keeping its own state", async () => {
        const sdk = path.join(outside, "node_modules", "@pulumi", "pulumi");
        const ours = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [THIS_PROJECT_ROOT] }));
        fs.cpSync(ours, sdk, { recursive: true, filter: (source) => !source.endsWith(".d.ts") && !source.endsWith(".map") });
        // A copy whose runtime state is its own (as an SDK of another version may keep it): mocks
        // installed on this project's copy would leave the program's without a monitor.
        const state = path.join(sdk, "runtime", "state.js");
        fs.writeFileSync(state, fs.readFileSync(state, "utf8").replace(/global\.(globalStore|asyncLocalStorage)/g, "global.programOwn_$1"));
        // Its dependencies, as npm would have installed them beside it.
        for (const dependency of Object.keys((JSON.parse(fs.readFileSync(path.join(sdk, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies)) {
            if (!fs.existsSync(path.join(sdk, "node_modules", dependency))) {
                fs.mkdirSync(path.dirname(path.join(outside, "node_modules", dependency)), { recursive: true });
                fs.symlinkSync(path.join(THIS_PROJECT_ROOT, "node_modules", dependency), path.join(outside, "node_modules", dependency));
            }
        }
        fs.writeFileSync(path.join(outside, "Pulumi.yaml"), "name: own-sdk\nruntime: nodejs\n");
        fs.writeFileSync(path.join(outside, "Pulumi.test.yaml"), "config:\n  aws:region: us-east-1\n");
        fs.writeFileSync(
            path.join(outside, "index.js"),
            'const pulumi = require("@pulumi/pulumi");\nnew pulumi.CustomResource("aws:sqs/queue:Queue", "plain", { sqsManagedSseEnabled: false });\nexports.sdk = require.resolve("@pulumi/pulumi");\n',
        );
        const result = await run(outside);
        assert.equal(result.outputs.sdk, path.join(sdk, "index.js"), "the program loads its own copy");
        assert.equal(result.sdkRoot, sdk, "the mocks were installed on that copy");
        assert.deepEqual(result.resources.map((r) => r.urn), ["urn:pulumi:test::own-sdk::aws:sqs/queue:Queue::plain"]);
        assert.equal(result.resources[0].inputs.sqsManagedSseEnabled, false);
    });
});
