/**
 * The offline check: the real program, the real pack, the same client the command uses.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Violation } from "../../../tools/analyzer";
import { InvalidStackConfig, runCheck } from "../../../tools/check/run-check";
import { THIS_PROJECT_ROOT } from "../../../tools/project";

function describeViolations(violations: Violation[]): string {
    return violations.map((v) => `${v.policyName} ${v.enforcementLevel} ${v.urn}: ${v.message.split("\n").pop()}`).join("\n");
}

describe("npm run check: the stacks pass the pack", () => {
    for (const stack of ["dev", "prod"]) {
        for (const preview of [false, true]) {
            it(`${stack}${preview ? " in preview (outputs unknown)" : ""}: zero violations of any level`, async () => {
                const result = await runCheck({ stack, preview });
                assert.ok(result.resources.length > 40, `only ${result.resources.length} resources recorded`);
                assert.equal(result.policyPack, "event-pipeline-guardrails");
                assert.ok(result.policies.length >= 23, `the pack served ${result.policies.length} policies`);
                assert.deepEqual(result.violations, [], describeViolations(result.violations));
            });
        }
    }

    it("--policy-pack-config replaces policies/config.<stack>.json", async () => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "check-pack-config-"));
        try {
            const file = path.join(directory, "strict.json");
            fs.writeFileSync(file, JSON.stringify({ "log-retention-required": { maxRetentionDays: 7 } }));
            const result = await runCheck({ stack: "dev", policyPackConfig: file });
            const logGroups = result.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup").map((r) => r.urn);
            assert.ok(logGroups.length > 0);
            assert.deepEqual(
                result.violations.map((v) => `${v.policyName} ${v.urn}`).sort(),
                logGroups.map((urn) => `log-retention-required ${urn}`).sort(),
                "dev keeps logs 14 days: only the 7-day limit of the given file can fail it",
            );
            assert.match(result.violations[0].location?.file ?? "", /^components\/.+\.ts$/);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });

    it("an unknown stack name says which stacks exist", async () => {
        await assert.rejects(runCheck({ stack: "staging" }), /No stack "staging".*Stacks here: dev, prod/s);
    });

    it("invalid stack config is refused with every bad key named, before anything runs", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "check-config-"));
        fs.copyFileSync(path.join(THIS_PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.writeFileSync(
            path.join(root, "Pulumi.broken.yaml"),
            "config:\n  event-pipeline:environment: dev\n  event-pipeline:owner: team\n  event-pipeline:logRetentionDays: 15\n  event-pipeline:lamda: {}\n",
        );
        await assert.rejects(runCheck({ stack: "broken", root }), (e: Error) => {
            assert.ok(e instanceof InvalidStackConfig);
            assert.match(e.message, /event-pipeline:logRetentionDays = 15/);
            assert.match(e.message, /event-pipeline:lamda: unknown key/);
            return true;
        });
    });
});
