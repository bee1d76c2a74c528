/**
 * A check's findings as SARIF 2.1.0, the format GitHub code scanning shows on the lines of a pull
 * request (`npm run check -- --sarif FILE`):
 * - `tool.driver`: the pack's name and version, one rule per policy (`id` = the policy's name, its
 *   description, `helpUri` to its row in policies/README.md, tags, and `security-severity` for
 *   the policies about security);
 * - one result per violation: the rule, `error` for a mandatory policy and `warning` for an
 *   advisory one, the message, the line where the resource was created (repository-relative) as
 *   `locations[0]`, the URN as its logical location, the calls and enclosing components on the way
 *   as `relatedLocations`, and a fingerprint made of the policy and the URN only, so it stays the
 *   same across runs and edits elsewhere in the file;
 * - an exempted violation is a result too, with an `external` suppression whose justification is
 *   the exemption's reason (GitHub closes such an alert as dismissed);
 * - the run's `automationDetails.id` is `npm-run-check/<project>/<stack>/`: code scanning keeps one
 *   analysis per program and stack (its category), so the stacks' reports do not replace each other.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Location as SarifLocation, Log, ReportingDescriptor, Result } from "sarif";
import { THIS_PROJECT_POLICY_PACK_DIR, THIS_PROJECT_ROOT } from "../project";
import type { CheckResult, LocatedViolation } from "./run-check";
import type { ExemptionReport } from "./exemption-status";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** The code scanning category of a report is `npm-run-check/<project>/<stack>`. */
export const AUTOMATION_PREFIX = "npm-run-check";

/** The partial fingerprint's name: bump its version if what goes into it ever changes. */
export const FINGERPRINT_KEY = "pulumiPolicyViolation/v1";

/**
 * GitHub's `security-severity` (CVSS-like, 0.0–10.0) of the policies about security; every other
 * policy is about reliability, operations or cost. tests/tools/check/sarif.spec.ts fails for a
 * policy that is in neither list, so a new policy gets classified when it is added.
 */
export const SECURITY_SEVERITY: Readonly<Record<string, number>> = {
    "ec2-no-public-ingress": 8.6,
    "iam-no-wildcard-actions": 7.5,
    "no-plaintext-secrets": 7.5,
    "ecs-no-privileged-containers": 7.0,
    "sqs-queue-tls-only": 5.3,
    "sns-topic-tls-only": 5.3,
    "sqs-queue-encrypted": 5.0,
    "sns-topic-encrypted": 5.0,
    "lambda-runtime-supported": 4.0,
};

/** The policies that are not about security (see `SECURITY_SEVERITY`). */
export const NOT_SECURITY: readonly string[] = [
    "no-hardcoded-ips",
    "required-tags",
    "disposable-compute",
    "disposable-environments",
    "log-retention-required",
    "sqs-queue-alarm-required",
    "sqs-dead-letter-queue-required",
    "sqs-visibility-timeout-covers-consumer",
    "sns-sqs-subscription-deliverable",
    "lambda-sqs-partial-batch-response",
    "lambda-errors-alarm-required",
    "ecs-container-insights-enabled",
    "ecs-task-logging-required",
    "cloudwatch-alarm-actions-required",
    "stack-fixed-cost-budget",
];

/** Where the report points: the repository its paths are relative to, and the policies' documentation. */
export interface SarifContext {
    /** The checked program's repository root (the nearest folder with `.git`); result URIs are relative to it. */
    repositoryRoot: string;
    /** The pack's README, absolute. */
    readmeUri: string;
    /** A policy's row in the README, absolute. */
    helpUri(policy: string): string;
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree); `dir` itself if none. */
export function repositoryRootOf(dir: string): string {
    for (let current = path.resolve(dir); ; current = path.dirname(current)) {
        if (fs.existsSync(path.join(current, ".git"))) {
            return current;
        }
        if (path.dirname(current) === current) {
            return path.resolve(dir);
        }
    }
}

/** `https://host/owner/repo` from package.json's `repository` (a URL, `owner/repo`, `github:owner/repo`, or `{ url }`). */
export function repositoryUrl(repository: unknown): string | undefined {
    const raw = typeof repository === "string" ? repository : (repository as { url?: unknown } | null | undefined)?.url;
    if (typeof raw !== "string" || raw.trim() === "") {
        return undefined;
    }
    let url = raw.trim().replace(/^git\+/, "").replace(/\.git$/, "").replace(/\/$/, "");
    const shorthand = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(url);
    if (shorthand) {
        return `https://github.com/${shorthand[1]}/${shorthand[2]}`;
    }
    const scp = /^git@([^:]+):(.+)$/.exec(url);
    if (scp) {
        url = `https://${scp[1]}/${scp[2]}`;
    }
    url = url.replace(/^(git|ssh):\/\/(git@)?/, "https://");
    return /^https?:\/\//.test(url) ? url : undefined;
}

/** The README's line of each policy's row in the policy table (`| \`name\` | …`). */
function policyRows(readme: string): Map<string, number> {
    const rows = new Map<string, number>();
    readme.split("\n").forEach((line, i) => {
        const name = /^\|\s*`([^`]+)`\s*\|/.exec(line)?.[1];
        if (name && !rows.has(name)) {
            rows.set(name, i + 1);
        }
    });
    return rows;
}

/**
 * Where the policies' documentation is: in GitHub Actions (and the pack inside the checked-out
 * workspace), this commit's README on the server the workflow runs on; else the repository
 * package.json names; else the README on this disk. A policy links to its row of the table
 * (`?plain=1#L<line>`), or to the table's section when it has none.
 */
export function sarifContext(programRoot: string, env: NodeJS.ProcessEnv = process.env): SarifContext {
    const readmeFile = path.join(THIS_PROJECT_POLICY_PACK_DIR, "README.md");
    const readme = fs.existsSync(readmeFile) ? fs.readFileSync(readmeFile, "utf8") : "";
    const rows = policyRows(readme);
    let base: string | undefined;
    const workspace = env.GITHUB_WORKSPACE ? path.resolve(env.GITHUB_WORKSPACE) : undefined;
    if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA && workspace && !path.relative(workspace, readmeFile).startsWith("..")) {
        base = `${env.GITHUB_SERVER_URL.replace(/\/$/, "")}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}/${path.relative(workspace, readmeFile).split(path.sep).join("/")}`;
    } else {
        const packageJson = JSON.parse(fs.readFileSync(path.join(THIS_PROJECT_ROOT, "package.json"), "utf8")) as { repository?: unknown };
        const repository = repositoryUrl(packageJson.repository);
        if (repository) {
            base = `${repository}/blob/HEAD/${path.relative(repositoryRootOf(THIS_PROJECT_ROOT), readmeFile).split(path.sep).join("/")}`;
        }
    }
    const readmeUri = base ?? pathToFileURL(readmeFile).href;
    return {
        repositoryRoot: repositoryRootOf(programRoot),
        readmeUri,
        helpUri: (policy) => {
            const row = rows.get(policy);
            return row === undefined ? `${readmeUri}#policies` : base ? `${readmeUri}?plain=1#L${row}` : `${readmeUri}#L${row}`;
        },
    };
}

/** The first sentence of a description (the rule's short description). */
function firstSentence(text: string): string {
    const firstLine = text.split("\n")[0].trim();
    const end = /[.!?](?=\s|$)/.exec(firstLine);
    return end ? firstLine.slice(0, end.index + 1) : firstLine;
}

function level(enforcementLevel: string): Result.level {
    switch (enforcementLevel) {
        case "mandatory":
        case "remediate":
            return "error";
        case "advisory":
            return "warning";
        default:
            return "none";
    }
}

function rule(policy: CheckResult["policies"][number], context: SarifContext): ReportingDescriptor {
    const severity = SECURITY_SEVERITY[policy.name];
    const service = policy.name.split("-")[0];
    const tags = ["pulumi-policy", ...(["general", "no"].includes(service) ? [] : [service]), ...(severity === undefined ? [] : ["security"])];
    const helpUri = context.helpUri(policy.name);
    return {
        // No `name`: SARIF wants it different from the id, and the policy's name is the id.
        id: policy.name,
        shortDescription: { text: firstSentence(policy.description) },
        fullDescription: { text: policy.description },
        helpUri,
        help: { text: `${policy.description}\n\nPolicy documentation: ${helpUri}`, markdown: `${policy.description}\n\n[Policy documentation](${helpUri})` },
        defaultConfiguration: { level: level(policy.enforcementLevel), enabled: policy.enforcementLevel !== "disabled" },
        properties: { tags, ...(severity === undefined ? {} : { "security-severity": severity.toFixed(1) }) },
    };
}

/** What the policy reported, without the description the pack puts before it (the rule carries that). */
function reported(violation: LocatedViolation): string {
    const prefix = `${violation.description}\n`;
    return violation.description && violation.message.startsWith(prefix) ? violation.message.slice(prefix.length) : violation.message;
}

function fingerprint(policy: string, urn: string | undefined, ordinal: number): string {
    const digest = createHash("sha256").update(`${policy}\u0000${urn ?? ""}`).digest("hex").slice(0, 32);
    return ordinal === 0 ? digest : `${digest}:${ordinal}`;
}

/** Sorted by policy (in the pack's order), URN and message, so two runs write the same file. */
function byPolicyUrnMessage(order: Map<string, number>) {
    return (a: LocatedViolation, b: LocatedViolation) =>
        (order.get(a.policyName) ?? 0) - (order.get(b.policyName) ?? 0) ||
        (a.urn ?? "").localeCompare(b.urn ?? "") ||
        (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** The check's result as one SARIF run. */
export function toSarif(result: CheckResult, context: SarifContext): Log {
    const order = new Map(result.policies.map((p, i) => [p.name, i]));
    const relative = (file: string) => path.relative(context.repositoryRoot, path.join(result.program.root, file)).split(path.sep).join("/");
    const physical = (location: { file: string; line: number; column: number }) => ({
        artifactLocation: { uri: relative(location.file), uriBaseId: "%SRCROOT%" },
        region: { startLine: location.line, startColumn: location.column },
    });
    // A stack-wide violation points at the project file: code scanning needs a location.
    const projectFile = { file: "Pulumi.yaml", line: 1, column: 1 };

    const exemptionOf = new Map<LocatedViolation, ExemptionReport>();
    for (const exemption of result.exemptions) {
        for (const silenced of exemption.silenced) {
            if (!exemptionOf.has(silenced)) {
                exemptionOf.set(silenced, exemption);
            }
        }
    }
    const findings = [...result.violations, ...exemptionOf.keys()].sort(byPolicyUrnMessage(order));
    const ordinals = new Map<string, number>();
    const results: Result[] = findings.map((violation) => {
        const key = `${violation.policyName}\u0000${violation.urn ?? ""}`;
        const ordinal = ordinals.get(key) ?? 0;
        ordinals.set(key, ordinal + 1);
        const location: SarifLocation = {
            physicalLocation: physical(violation.location ?? projectFile),
            ...(violation.urn ? { logicalLocations: [{ fullyQualifiedName: violation.urn, name: violation.urn.split("::").pop(), kind: "resource" }] } : {}),
        };
        const exemption = exemptionOf.get(violation);
        const sarifResult: Result = {
            ruleId: violation.policyName,
            ...(order.has(violation.policyName) ? { ruleIndex: order.get(violation.policyName) } : {}),
            level: level(violation.enforcementLevel),
            message: { text: reported(violation) },
            locations: [location],
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(violation.policyName, violation.urn, ordinal) },
        };
        if (violation.related.length > 0) {
            sarifResult.relatedLocations = violation.related.map((related, id) => ({ id, physicalLocation: physical(related), message: { text: related.message } }));
        }
        if (exemption) {
            sarifResult.suppressions = [
                { kind: "external", status: "accepted", justification: exemption.reason, properties: { resource: exemption.resource, expires: exemption.expires } },
            ];
        }
        return sarifResult;
    });

    return {
        $schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: result.policyPack,
                        version: result.policyPackVersion,
                        informationUri: context.readmeUri,
                        rules: result.policies.map((policy) => rule(policy, context)),
                    },
                },
                automationDetails: { id: `${AUTOMATION_PREFIX}/${result.program.name}/${result.stack}/` },
                columnKind: "utf16CodeUnits",
                results,
            },
        ],
    };
}
