import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { THIS_PROJECT_NAME, THIS_PROJECT_ROOT } from "../../tools/project";

describe("tools/project", () => {
    it("THIS_PROJECT_ROOT is the repository's root: Pulumi.yaml, the program and the pack are there", () => {
        for (const entry of ["Pulumi.yaml", "index.ts", "policies", "package.json"]) {
            assert.ok(fs.existsSync(path.join(THIS_PROJECT_ROOT, entry)), `${entry} is not in ${THIS_PROJECT_ROOT}`);
        }
    });

    it("THIS_PROJECT_NAME is the name Pulumi.yaml declares", () => {
        assert.match(fs.readFileSync(path.join(THIS_PROJECT_ROOT, "Pulumi.yaml"), "utf8"), new RegExp(`^name: ${THIS_PROJECT_NAME}$`, "m"));
        assert.equal(THIS_PROJECT_NAME, "event-pipeline");
    });
});
