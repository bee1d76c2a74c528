/** A program folder read as the CLI reads it: Pulumi.yaml's name, runtime and main, package.json's entry. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ProgramError } from "../../../tools/program/program-error";
import { readPulumiProgram } from "../../../tools/program/pulumi-program";

describe("tools/program/pulumi-program", () => {
    let root: string;

    /** A throwaway program folder holding `files` (paths may contain folders). */
    function program(files: Record<string, string>): string {
        for (const [name, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
            fs.writeFileSync(path.join(root, name), text);
        }
        return root;
    }

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-program-"));
    });
    afterEach(() => {
        fs.rmSync(root, { recursive: true, force: true });
    });

    const refused = (pattern: RegExp) => (e: unknown) => e instanceof ProgramError && pattern.test(e.message);

    it("a TypeScript program: any project name, runtime as a string, index.ts", () => {
        program({ "Pulumi.yaml": "name: billing\nruntime: nodejs\n", "index.ts": "" });
        assert.deepEqual(readPulumiProgram(root), { root, name: "billing", entry: path.join(root, "index.ts") });
    });

    it("the runtime in its object form; index.js wins over index.ts, as Node resolves a folder", () => {
        program({ "Pulumi.yaml": "name: web\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": "", "index.ts": "" });
        assert.equal(readPulumiProgram(root).entry, path.join(root, "index.js"));
    });

    it("main: a folder (its index) or a file, with or without its extension", () => {
        program({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: src/\n", "src/index.ts": "", "app/main.ts": "" });
        assert.equal(readPulumiProgram(root).entry, path.join(root, "src", "index.ts"));
        program({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: app/main\n" });
        assert.equal(readPulumiProgram(root).entry, path.join(root, "app", "main.ts"));
    });

    it("without main, package.json's exports or main", () => {
        program({ "Pulumi.yaml": "name: p\nruntime: nodejs\n", "package.json": JSON.stringify({ main: "lib/program.js" }), "lib/program.js": "", "index.js": "" });
        assert.equal(readPulumiProgram(root).entry, path.join(root, "lib", "program.js"));
        program({ "package.json": JSON.stringify({ exports: { ".": { require: "./cjs/index.js" } }, main: "lib/program.js" }), "cjs/index.js": "" });
        assert.equal(readPulumiProgram(root).entry, path.join(root, "cjs", "index.js"));
    });

    it("refuses what it cannot run, saying what is wrong", () => {
        assert.throws(() => readPulumiProgram(path.join(root, "nope")), refused(/no such folder/));
        assert.throws(() => readPulumiProgram(root), refused(/has no Pulumi\.yaml: --program takes the folder of a Pulumi project/));
        program({ "Pulumi.yaml": "runtime: nodejs\n" });
        assert.throws(() => readPulumiProgram(root), refused(/has no name/));
        program({ "Pulumi.yaml": "name: p\nruntime: python\n" });
        assert.throws(() => readPulumiProgram(root), refused(/runtime is "python"; the check runs Node\.js programs/));
        program({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: missing.ts\n" });
        assert.throws(() => readPulumiProgram(root), refused(/the program's entry does not exist \(tried missing\.ts, missing\.ts\.js/));
        program({ "Pulumi.yaml": "name: p\nruntime: nodejs\n", "package.json": '{"type": "module"}', "index.js": "" });
        assert.throws(() => readPulumiProgram(root), refused(/"type": "module": the check loads CommonJS programs/));
        program({ "Pulumi.yaml": "name: [p\n" });
        assert.throws(() => readPulumiProgram(root), refused(/is not valid YAML/));
    });
});
