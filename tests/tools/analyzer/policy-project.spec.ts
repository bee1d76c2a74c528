import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackError } from "../../../tools/analyzer";
import { readPolicyProject } from "../../../tools/analyzer/policy-project";

describe("analyzer client: PulumiPolicy.yaml", () => {
    const folders: string[] = [];
    const folder = () => {
        const created = fs.mkdtempSync(path.join(os.tmpdir(), "policy-project-"));
        folders.push(created);
        return created;
    };
    const packWith = (yaml: string) => {
        const pack = folder();
        fs.writeFileSync(path.join(pack, "PulumiPolicy.yaml"), yaml);
        return pack;
    };
    after(() => folders.forEach((created) => fs.rmSync(created, { recursive: true, force: true })));

    it("reads a nodejs pack without options or version", () => {
        assert.deepEqual(readPolicyProject(packWith("runtime: nodejs\n")), { version: undefined, runtimeArgs: [] });
    });

    it("turns each runtime option into -key=value, as the CLI does, leaving out empty ones, and keeps the version", () => {
        const project = readPolicyProject(packWith("version: 2.0.1\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n    nodeargs: ''\n    packagemanager: npm\n"));
        assert.deepEqual(project, { version: "2.0.1", runtimeArgs: ["-typescript=true", "-packagemanager=npm"] });
    });

    it("refuses a runtime other than nodejs, naming the file and the runtime", () => {
        assert.throws(
            () => readPolicyProject(packWith("runtime: python\n")),
            (e: Error) => e instanceof PolicyPackError && /PulumiPolicy\.yaml: runtime is "python"; this client runs only nodejs policy packs$/.test(e.message),
        );
        assert.throws(() => readPolicyProject(packWith("description: no runtime\n")), /runtime is undefined/);
    });

    it("says a folder is not a policy pack when its PulumiPolicy.yaml is missing or not YAML", () => {
        assert.throws(() => readPolicyProject(folder()), /is not a policy pack: it has no PulumiPolicy\.yaml/);
        assert.throws(() => readPolicyProject(packWith("runtime: [nodejs\n")), (e: Error) => e instanceof PolicyPackError && /is not a policy pack: /.test(e.message));
    });
});
