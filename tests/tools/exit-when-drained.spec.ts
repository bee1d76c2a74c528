import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { THIS_PROJECT_ROOT } from "../../tools/project";

const BYTES = 1024 * 1024;

/**
 * Runs `exit` after writing BYTES to stdout, with a reader that starts late: only once the child
 * says it has written, and a moment after, as `| jq` on a busy machine would.
 */
function lateReader(exit: string): Promise<{ received: number; code: number | null }> {
    const script = `
        const { exitWhenDrained } = require(${JSON.stringify(path.join(THIS_PROJECT_ROOT, "tools/exit-when-drained"))});
        process.stdout.write("x".repeat(${BYTES}));
        process.stderr.write("written\\n");
        ${exit};`;
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: THIS_PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
        let received = 0;
        child.once("error", reject);
        child.stderr.once("data", () =>
            setTimeout(() => child.stdout.on("data", (chunk: Buffer) => (received += chunk.length)), 500),
        );
        child.once("close", (code) => resolve({ received, code }));
    });
}

describe("tools/exit-when-drained", function () {
    this.timeout(30_000);

    it("exits with the code once a late reader has all of stdout", async () => {
        assert.deepEqual(await lateReader("exitWhenDrained(3)"), { received: BYTES, code: 3 });
    });

    it("is needed: process.exit() right after the write loses what the pipe had not taken", async () => {
        const { received, code } = await lateReader("process.exit(3)");
        assert.equal(code, 3);
        assert.ok(received < BYTES, `received all ${received} bytes`);
    });
});
