/**
 * Starting a pack's process as the CLI does, and never leaving one behind: throwaway packs that
 * fail to start in each way the CLI knows, and owners that go away without stopping their pack.
 */
import assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackError } from "../../../tools/analyzer";
import { startPackProcess } from "../../../tools/analyzer/pack-process";
import { THIS_PROJECT_ROOT } from "../../../tools/project";
import { createFixturePack, eventually, FixturePack, processExists, REPORTING_PACK } from "./fixture-pack";

describe("analyzer client: the pack's process", function () {
    this.timeout(60_000);
    const fixtures: FixturePack[] = [];
    const fixture = (indexJs: string) => {
        const created = createFixturePack(indexJs);
        fixtures.push(created);
        return created.directory;
    };
    after(() => fixtures.forEach((f) => f.remove()));

    it("a pack that fails to load: the error carries its stderr", async () => {
        await assert.rejects(startPackProcess(fixture(`throw new Error("the fixture pack is broken");`)), (e: Error) => {
            assert.ok(e instanceof PolicyPackError);
            assert.match(e.message, /exited \(code \d+\) before printing its port/);
            assert.match(e.message, /the fixture pack is broken/);
            return true;
        });
    });

    it("a pack that prints something else first fails as with the CLI, saying what it printed", async () => {
        const chatty = `console.log("hello from the pack");\n${REPORTING_PACK}`;
        await assert.rejects(startPackProcess(fixture(chatty)), /printed "hello from the pack" where its port belongs/);
    });

    it("a pack that never prints its port fails after the start timeout, and is stopped", async () => {
        const directory = fixture(`require("fs").writeFileSync("pid", String(process.pid)); setInterval(() => {}, 1000);`);
        // Long enough for the pack to load and write its pid even on a busy machine.
        await assert.rejects(startPackProcess(directory, { startTimeoutMs: 10_000 }), /did not print its port within 10 s/);
        const pid = Number(fs.readFileSync(path.join(directory, "pid"), "utf8"));
        assert.equal(processExists(pid), false);
    });

    it("a folder without PulumiPolicy.yaml is not a policy pack", async () => {
        await assert.rejects(startPackProcess(path.join(__dirname)), /is not a policy pack: it has no PulumiPolicy\.yaml/);
    });

    for (const ending of ["exits without stopping it", "is killed outright"]) {
        it(`no pack outlives an owner that ${ending}`, async () => {
            const directory = fixture(REPORTING_PACK);
            const script = `
                const { startPackProcess } = require(${JSON.stringify(path.resolve(__dirname, "../../../tools/analyzer/pack-process"))});
                startPackProcess(${JSON.stringify(directory)}).then((pack) => {
                    console.log(pack.pid);
                    ${ending === "exits without stopping it" ? "process.exit(0);" : "setInterval(() => {}, 1000);"}
                });`;
            const owner = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
                cwd: THIS_PROJECT_ROOT,
                stdio: ["ignore", "pipe", "inherit"],
            });
            const packPid = await new Promise<number>((resolve, reject) => {
                owner.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
                owner.once("exit", (code) => reject(new Error(`the owner script exited (${code}) before starting the pack`)));
            });
            assert.ok(packPid > 0 && processExists(packPid));
            if (ending === "is killed outright") {
                owner.kill("SIGKILL");
            }
            assert.ok(await eventually(() => !processExists(packPid)), `pack process ${packPid} outlived its owner`);
        });
    }
});
