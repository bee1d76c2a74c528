/**
 * What the check says each exemption did — applied, expired, unused, expiring within 14 days — and
 * the proof that it agrees with the CLI's path: the served pack configured with the same file (as
 * `pulumi preview --policy-pack-config` configures it) silences exactly the violations the check
 * reports as exempted, and reports exactly the rest.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { todayUtc } from "../../../policies/lib/exemptions";
import { PolicyConfigMap, PolicyPackClient, startPolicyPack, Violation } from "../../../tools/analyzer";
import { textReport } from "../../../tools/check";
import { exemptionReports, expiringSoon, hasExemptions, silencedViolations, withoutExemptions } from "../../../tools/check/exemption-status";
import { judge, toAnalyzedResources } from "../../../tools/check/judge";
import { CheckResult, runCheck } from "../../../tools/check/run-check";
import { THIS_PROJECT_POLICY_PACK_DIR, THIS_PROJECT_ROOT } from "../../../tools/project";

const PROGRAM = path.join(THIS_PROJECT_ROOT, "tests", "programs", "exempted-queue");
const LEGACY = "urn:pulumi:test::billing::aws:sqs/queue:Queue::legacy-feed";
const INVOICES = "urn:pulumi:test::billing::aws:sqs/queue:Queue::invoices";

function day(offset: number): string {
    return todayUtc(new Date(Date.now() + offset * 86_400_000));
}

function violation(policyName: string, urn: string, message = "m"): Violation {
    return { policyName, urn, message, enforcementLevel: "mandatory", policyPackName: "p", policyPackVersion: "1", description: "" };
}

describe("npm run check: exemption statuses", () => {
    describe("the arithmetic", () => {
        const config: PolicyConfigMap = {
            a: { enforcementLevel: "mandatory", properties: { limit: 3, exemptions: [{ resource: "*::q1", reason: "r", expires: "2030-01-10" }] } },
            b: { enforcementLevel: "mandatory", properties: {} },
        };

        it("knows when a config has exemptions, and removes them leaving everything else", () => {
            assert.equal(hasExemptions(config), true);
            assert.equal(hasExemptions(withoutExemptions(config)), false);
            assert.deepEqual(withoutExemptions(config).a, { enforcementLevel: "mandatory", properties: { limit: 3 } });
        });

        it("the silenced violations are those only the judgement without exemptions reports, counted as a multiset", () => {
            const kept = violation("a", "urn:q2");
            const twice = violation("a", "urn:q1");
            assert.deepEqual(silencedViolations([kept, twice], [kept, twice, twice, violation("b", "urn:q1")]), [twice, violation("b", "urn:q1")]);
        });

        it("statuses: applied with the URNs it silenced, expired (even if it would match), unused", () => {
            const reports = exemptionReports(
                ["a", "b"],
                {
                    a: { enforcementLevel: "mandatory", properties: { exemptions: [{ resource: "*::q1", reason: "r", expires: "2030-01-10" }, { resource: "*::gone", reason: "r", expires: "2030-01-10" }] } },
                    b: { enforcementLevel: "mandatory", properties: { exemptions: [{ resource: "*::q1", reason: "r", expires: "2029-12-31" }] } },
                },
                [violation("a", "urn:x::q1", "one"), violation("a", "urn:x::q1", "two")],
                "2030-01-01",
            );
            assert.deepEqual(
                reports.map((r) => [r.policy, r.resource, r.status, r.urns, r.daysLeft]),
                [
                    ["a", "*::q1", "applied", ["urn:x::q1"], 9],
                    ["a", "*::gone", "unused", [], 9],
                    ["b", "*::q1", "expired", [], -1],
                ],
            );
            assert.deepEqual(expiringSoon(reports).map((r) => r.resource), ["*::q1"], "applied and within 14 days");
            assert.deepEqual(expiringSoon(exemptionReports(["a"], config, [violation("a", "urn:x::q1")], "2029-12-26")), [], "15 days left: no warning");
            assert.equal(expiringSoon(exemptionReports(["a"], config, [violation("a", "urn:x::q1")], "2029-12-27")).length, 1, "14 days left: warned");
        });

        it("refuses a silenced violation no exemption in force covers: the pack and the check would disagree", () => {
            assert.throws(() => exemptionReports(["a"], config, [violation("a", "urn:x::q9")], "2030-01-01"), /silenced violations no exemption in force covers \(a urn:x::q9\)/);
            assert.throws(() => exemptionReports(["a"], config, [violation("a", "urn:x::q1")], "2030-01-11"), /no exemption in force/, "expired");
        });
    });

    describe("on a program, against the CLI's path", function () {
        this.timeout(120_000);
        let client: PolicyPackClient;
        let directory: string;
        let configFile: string;
        let result: CheckResult;

        before(async () => {
            directory = fs.mkdtempSync(path.join(os.tmpdir(), "exemptions-"));
            configFile = path.join(directory, "policy-config.json");
            fs.writeFileSync(
                configFile,
                JSON.stringify({
                    "sqs-queue-encrypted": { exemptions: [{ resource: LEGACY, reason: "legacy bridge", expires: day(10) }] },
                    "sqs-queue-alarm-required": { exemptions: [{ resource: "*::invoices", reason: "alarmed elsewhere", expires: day(100) }] },
                    "sqs-dead-letter-queue-required": { exemptions: [{ resource: "*::legacy-feed", reason: "replayed by hand", expires: day(0) }] },
                    "sqs-queue-tls-only": { exemptions: [{ resource: "*", reason: "was fine last year", expires: day(-1) }] },
                    "required-tags": { exemptions: [{ resource: "*::retired", reason: "gone", expires: day(30) }] },
                }),
            );
            client = await startPolicyPack(THIS_PROJECT_POLICY_PACK_DIR, { stack: { stack: "test", project: "billing" } });
            result = await runCheck({ stack: "test", program: PROGRAM, policyPackConfig: configFile, client });
        });
        after(async () => {
            await client?.close();
            fs.rmSync(directory, { recursive: true, force: true });
        });

        const keys = (violations: readonly Violation[]) => violations.map((v) => `${v.policyName} ${v.urn}`).sort();

        it("reports every exemption with its status and the URNs it silenced", () => {
            assert.deepEqual(
                result.exemptions.map((e) => [e.policy, e.status, e.urns, e.daysLeft]),
                [
                    ["required-tags", "unused", [], 30],
                    ["sqs-queue-alarm-required", "applied", [INVOICES], 100],
                    ["sqs-dead-letter-queue-required", "applied", [LEGACY], 0],
                    ["sqs-queue-encrypted", "applied", [LEGACY], 10],
                    ["sqs-queue-tls-only", "expired", [], -1],
                ],
            );
        });

        it("the served pack configured with the same file (the CLI's path) silences exactly what the check reports as exempted", async () => {
            const resources = toAnalyzedResources(result.resources);
            const stack = { stack: "test", project: "billing", dryRun: false };
            const cli = await judge(client, stack, resources, { configFile });
            const stripped = path.join(directory, "without-exemptions.json");
            const document = JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, Record<string, unknown>>;
            fs.writeFileSync(stripped, JSON.stringify(Object.fromEntries(Object.entries(document).map(([policy, { exemptions: _, ...rest }]) => [policy, rest]))));
            const unexempted = await judge(client, stack, resources, { configFile: stripped });

            assert.deepEqual(keys(result.violations), keys(cli.violations), "the check's verdict is the CLI's");
            const silencedByCli = keys(unexempted.violations).filter((key) => !keys(cli.violations).includes(key));
            const exemptedByCheck = result.exemptions.flatMap((e) => e.urns.map((urn) => `${e.policy} ${urn}`)).sort();
            assert.deepEqual(exemptedByCheck, silencedByCli);
            assert.ok(silencedByCli.length === 3, silencedByCli.join("\n"));
        });

        it("an expired exemption silences nothing: its violations are reported and fail the check", () => {
            assert.ok(keys(result.violations).includes(`sqs-queue-tls-only ${LEGACY}`));
            assert.ok(keys(result.violations).includes(`sqs-queue-tls-only ${INVOICES}`));
        });

        it("the summary lists each exemption with its status and warns about applied ones expiring within 14 days", () => {
            const text = textReport(result, true);
            assert.match(text, new RegExp(`\\n  applied  sqs-queue-encrypted  ${LEGACY.replace(/[$.*]/g, "\\$&")}  \\(until ${day(10)}\\): legacy bridge\\n`));
            assert.match(text, /\n {2}unused {3}required-tags .*\n {13}matches no violation: stale, remove it\n/);
            assert.match(text, /\n {2}expired {2}sqs-queue-tls-only .*\n {13}expired after .*: it silences nothing\n/);
            assert.match(text, new RegExp(`warning: the exemption of ${LEGACY.replace(/[$.*]/g, "\\$&")} from sqs-queue-encrypted expires soon \\(${day(10)}, its last day is in 10 days\\)`));
            assert.match(text, /warning: the exemption of \*::legacy-feed from sqs-dead-letter-queue-required expires soon \(.*, today is its last day\)/);
            assert.doesNotMatch(text, /exemption of \*::invoices .* expires soon/, "100 days left");
        });
    });
});
