/**
 * The GitHub workflows cannot run here, so they are checked offline: each one against GitHub's
 * workflow schema (action-validator, a WASM build that needs no network), the npm scripts they
 * call against package.json, credentials (OIDC only, the Pulumi token from secrets), and the
 * delivery each workflow promises. The pull request's stack loop runs for real with a stand-in npm.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");
const VALIDATOR = path.join(path.dirname(require.resolve("@action-validator/cli/package.json")), "cli.mjs");

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    if?: string;
    "working-directory"?: string;
}

interface Job {
    name?: string;
    if?: string;
    environment?: string | { name: string };
    permissions?: Record<string, string> | string;
    env?: Record<string, string>;
    strategy?: { matrix?: Record<string, unknown> };
    concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
    steps: Step[];
}

interface Workflow {
    file: string;
    text: string;
    name: string;
    on: Record<string, unknown>;
    env?: Record<string, string>;
    permissions?: Record<string, string> | string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
    jobs: Record<string, Job>;
}

function workflowFiles(): string[] {
    if (!fs.existsSync(WORKFLOWS_DIR)) {
        return [];
    }
    return fs
        .readdirSync(WORKFLOWS_DIR)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
        .map((file) => path.join(WORKFLOWS_DIR, file));
}

function load(file: string): Workflow {
    const text = fs.readFileSync(file, "utf8");
    return { file: path.basename(file), text, ...(YAML.parse(text) as Omit<Workflow, "file" | "text">) };
}

function workflow(file: string): Workflow {
    return load(path.join(WORKFLOWS_DIR, file));
}

function validate(file: string): { code: number | null; output: string } {
    const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: "utf8", timeout: 60_000, cwd: ROOT });
    return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function allSteps(wf: Workflow): { job: string; step: Step }[] {
    return Object.entries(wf.jobs).flatMap(([job, definition]) => definition.steps.map((step) => ({ job, step })));
}

function usesAction(step: Step, action: string): boolean {
    return step.uses !== undefined && step.uses.split("@")[0] === action;
}

/** The scripts a shell line runs through npm: `npm run [flags] <name>`, `npm test`, `npm start`. */
export function npmScriptsCalled(script: string): string[] {
    const called: string[] = [];
    for (const match of script.matchAll(/\bnpm\s+(?:run(?:-script)?|rum|urn)\s+((?:--?[\w-]+(?:=\S+)?\s+)*)([\w:.-]+)/g)) {
        called.push(match[2]);
    }
    for (const match of script.matchAll(/\bnpm\s+(?:(test|t|tst)|(start)|(stop)|(restart))\b/g)) {
        called.push(match[1] ? "test" : match[2] ? "start" : match[3] ? "stop" : "restart");
    }
    return called;
}

function permissionsOf(wf: Workflow, job: Job): Record<string, string> {
    const permissions = job.permissions ?? wf.permissions ?? {};
    return typeof permissions === "string" ? {} : permissions;
}

/** The environment a step sees: workflow, job and step `env`, the nearest winning. */
function envOf(wf: Workflow, job: Job, step: Step): Record<string, string> {
    return { ...(wf.env ?? {}), ...(job.env ?? {}), ...(step.env ?? {}) };
}

const PULUMI_TOKEN = "${{ secrets.PULUMI_ACCESS_TOKEN }}";

describe(".github/workflows", function () {
    this.timeout(120_000);
    const files = workflowFiles();
    const packageScripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

    it("holds the four delivery workflows", () => {
        assert.deepEqual(
            files.map((f) => path.basename(f)),
            ["deploy.yml", "policies.yml", "pull-request.yml", "review-stack.yml"],
        );
    });

    describe("GitHub's workflow schema (action-validator, offline)", () => {
        for (const file of workflowFiles()) {
            it(`${path.basename(file)} is a valid workflow`, () => {
                const { code, output } = validate(file);
                assert.equal(code, 0, `action-validator rejected ${path.basename(file)}:\n${output}`);
            });
        }

        // The validator must be live: a broken copy of a real workflow has to be rejected.
        const breakages: [string, (text: string) => string][] = [
            ["a misspelt job key (runs_on)", (text) => text.replace(/\bruns-on:/, "runs_on:")],
            ["an unknown event (pull_requests)", (text) => text.replace(/^ {2}pull_request:$/m, "  pull_requests:")],
            ["a permission level that does not exist (id-token: writ)", (text) => text.replace("id-token: write", "id-token: writ")],
            ["a job that needs a job that does not exist", (text) => text.replace("needs: check", "needs: tests")],
            ["steps that are not a list", (text) => text.replace(/^ {4}steps:\n {6}- uses: actions\/checkout@v\d+$/m, "    steps:\n      uses: actions/checkout@v7")],
        ];
        for (const [what, breakIt] of breakages) {
            it(`rejects pull-request.yml with ${what}`, () => {
                const original = fs.readFileSync(path.join(WORKFLOWS_DIR, "pull-request.yml"), "utf8");
                const broken = breakIt(original);
                assert.notEqual(broken, original, "the breakage did not apply: update this test to the workflow");
                const directory = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-"));
                try {
                    const file = path.join(directory, "pull-request.yml");
                    fs.writeFileSync(file, broken);
                    const { code, output } = validate(file);
                    assert.equal(code, 1, `action-validator accepted a broken workflow:\n${output}`);
                } finally {
                    fs.rmSync(directory, { recursive: true, force: true });
                }
            });
        }
    });

    describe("npm scripts", () => {
        it("finds the scripts in the shell lines a workflow runs", () => {
            assert.deepEqual(npmScriptsCalled("npm ci && npm test"), ["test"]);
            assert.deepEqual(npmScriptsCalled('npm run --silent check -- --stack "$stack" --diagram'), ["check"]);
            assert.deepEqual(npmScriptsCalled("npm run -s bundle; npm run build:policies"), ["bundle", "build:policies"]);
            assert.deepEqual(npmScriptsCalled("npm pkg set version=1 --workspace policies"), []);
        });

        it("every npm script a workflow calls exists in package.json", () => {
            const missing: string[] = [];
            let calls = 0;
            for (const file of files) {
                const wf = load(file);
                for (const { job, step } of allSteps(wf)) {
                    for (const script of npmScriptsCalled(step.run ?? "")) {
                        calls++;
                        if (packageScripts[script] === undefined) {
                            missing.push(`${wf.file} ${job}: npm run ${script}`);
                        }
                    }
                }
            }
            assert.ok(calls >= 6, `expected the workflows to call npm scripts, found ${calls}`);
            assert.deepEqual(missing, [], "scripts missing from package.json");
        });
    });

    describe("credentials", () => {
        it("no workflow holds or asks for an AWS access key", () => {
            for (const file of files) {
                const text = fs.readFileSync(file, "utf8");
                for (const forbidden of [/aws-access-key-id/i, /aws-secret-access-key/i, /AWS_SECRET_ACCESS_KEY/i, /AWS_ACCESS_KEY_ID/i, /\bAKIA[0-9A-Z]{16}\b/]) {
                    assert.doesNotMatch(text, forbidden, `${path.basename(file)} mentions ${forbidden}`);
                }
            }
        });

        it("AWS credentials come only from OIDC: configure-aws-credentials assumes a role, in jobs allowed an id-token", () => {
            let found = 0;
            for (const file of files) {
                const wf = load(file);
                for (const [name, job] of Object.entries(wf.jobs)) {
                    for (const step of job.steps.filter((s) => usesAction(s, "aws-actions/configure-aws-credentials"))) {
                        found++;
                        assert.match(String(step.with?.["role-to-assume"] ?? ""), /^\$\{\{ vars\.[A-Z_]+ \}\}$/, `${wf.file} ${name}: role-to-assume from a variable`);
                        assert.equal(permissionsOf(wf, job)["id-token"], "write", `${wf.file} ${name}: permissions.id-token must be write`);
                    }
                }
            }
            assert.ok(found >= 5, `expected configure-aws-credentials in the preview, deploy and review jobs, found ${found}`);
        });

        it("the deploy role is assumed only in jobs of a GitHub environment (its trust policy names environments)", () => {
            const environments: string[] = [];
            for (const file of files) {
                const wf = load(file);
                for (const [name, job] of Object.entries(wf.jobs)) {
                    const deploys = job.steps.some((s) => usesAction(s, "aws-actions/configure-aws-credentials") && String(s.with?.["role-to-assume"]).includes("AWS_DEPLOY_ROLE_ARN"));
                    if (deploys) {
                        const environment = typeof job.environment === "string" ? job.environment : job.environment?.name;
                        assert.ok(environment, `${wf.file} ${name}: assumes the deploy role without an environment`);
                        environments.push(environment!);
                    }
                }
            }
            assert.deepEqual([...new Set(environments)].sort(), ["dev", "production", "review"]);
        });

        it("every Pulumi command gets PULUMI_ACCESS_TOKEN from secrets", () => {
            for (const file of files) {
                const wf = load(file);
                for (const [name, job] of Object.entries(wf.jobs)) {
                    for (const step of job.steps) {
                        const pulumiAction = usesAction(step, "pulumi/actions") && step.with?.command !== undefined;
                        const pulumiCli = /(^|\s|;|&&|\|\|)pulumi\s+[a-z]/m.test(step.run ?? "");
                        if (pulumiAction || pulumiCli) {
                            assert.equal(envOf(wf, job, step).PULUMI_ACCESS_TOKEN, PULUMI_TOKEN, `${wf.file} ${name}: ${step.name ?? step.uses ?? step.run}`);
                        }
                    }
                }
            }
        });

        it("workflows default to read-only contents", () => {
            for (const file of files) {
                assert.deepEqual(load(file).permissions, { contents: "read" }, path.basename(file));
            }
        });
    });

    describe("actions and runtime", () => {
        it("every action is pinned to a major version (or a commit)", () => {
            for (const file of files) {
                for (const { job, step } of allSteps(load(file))) {
                    if (step.uses !== undefined) {
                        assert.match(step.uses, /^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, `${path.basename(file)} ${job}: ${step.uses}`);
                    }
                }
            }
        });

        it("Node 22 everywhere, with npm's cache", () => {
            let found = 0;
            for (const file of files) {
                for (const { job, step } of allSteps(load(file))) {
                    if (usesAction(step, "actions/setup-node")) {
                        found++;
                        assert.equal(String(step.with?.["node-version"]), "22", `${path.basename(file)} ${job}`);
                        assert.equal(step.with?.cache, "npm", `${path.basename(file)} ${job}`);
                    }
                }
            }
            assert.ok(found >= 4);
        });

        it("installs with npm ci (the lockfile), never npm install", () => {
            for (const file of files) {
                const wf = load(file);
                assert.doesNotMatch(wf.text, /npm (install|i)\b/, wf.file);
                for (const [name, job] of Object.entries(wf.jobs)) {
                    const runs = job.steps.map((s) => s.run ?? "");
                    const ci = runs.findIndex((r) => /\bnpm ci\b/.test(r));
                    assert.ok(ci >= 0, `${wf.file} ${name}: npm ci`);
                    const firstNpmScript = runs.findIndex((r) => npmScriptsCalled(r).length > 0);
                    assert.ok(firstNpmScript === -1 || firstNpmScript > ci, `${wf.file} ${name}: npm ci before any script`);
                }
            }
        });

        it("the policy pack config files the workflows pass exist", () => {
            const referenced = new Set<string>();
            for (const file of files) {
                for (const match of fs.readFileSync(file, "utf8").matchAll(/policies\/config\.([\w${}. -]+?)\.json/g)) {
                    const stack = match[1];
                    const stacks = stack.includes("matrix.stack") ? ["dev", "prod"] : [stack];
                    stacks.forEach((s) => referenced.add(`policies/config.${s}.json`));
                }
            }
            assert.deepEqual([...referenced].sort(), ["policies/config.dev.json", "policies/config.prod.json"]);
            const missing = [...referenced].filter((f) => !fs.existsSync(path.join(ROOT, f)));
            assert.deepEqual(missing, [], "pulumi preview --policy-pack-config fails on a file that does not exist");
        });
    });

    describe("pull-request.yml", () => {
        const wf = () => workflow("pull-request.yml");

        it("runs for pull requests, one run per pull request at a time", () => {
            assert.ok("pull_request" in wf().on);
            assert.ok(!("pull_request_target" in wf().on), "pull_request_target would hand fork code the repository's secrets");
            const concurrency = wf().concurrency as { group: string; "cancel-in-progress": boolean };
            assert.match(concurrency.group, /\$\{\{ github\.event\.pull_request\.number \}\}/);
            assert.equal(concurrency["cancel-in-progress"], true);
        });

        it("check: npm ci, npm test and the offline check of every stack file, with no secrets (forks run it too)", () => {
            const check = wf().jobs.check;
            const runs = check.steps.map((s) => s.run ?? "").join("\n");
            assert.match(runs, /^npm ci$/m);
            assert.match(runs, /^npm test$/m);
            assert.match(runs, /Pulumi\.\*\.yaml/);
            assert.doesNotMatch(YAML.stringify(check), /secrets\.|id-token|configure-aws-credentials|pulumi\/actions/);
            assert.equal(check.if, undefined, "the check runs for every pull request, forks included");
        });

        /** A stand-in npm for the check job's loops: records its arguments; the stack named in FAIL_STACK fails. */
        const STAND_IN_NPM = [
            "#!/usr/bin/env bash",
            'echo "$*" >> "$CALLS"',
            'case "$3" in',
            '  cost-diff) echo "Cost change of $6 from $8 to ${10}" ;;',
            "  check) if [ \"$7\" = --json ]; then echo '{}'; else echo \"Stack report for $6\"; printf '```mermaid\\nflowchart LR\\n```\\n'; fi ;;",
            "esac",
            '[ "$6" != "$FAIL_STACK" ]',
            "",
        ].join("\n");

        function standIn(directory: string): string {
            const bin = path.join(directory, "bin");
            fs.mkdirSync(bin);
            fs.writeFileSync(path.join(bin, "npm"), STAND_IN_NPM, { mode: 0o755 });
            return bin;
        }

        it("check's loop runs npm run check for every Pulumi.<stack>.yaml, compares each stack's cost with the base branch's, and fails if any stack fails", () => {
            const loop = wf().jobs.check.steps.find((s) => (s.run ?? "").includes("Pulumi.*.yaml") && s["working-directory"] === undefined)!.run!;
            const directory = fs.mkdtempSync(path.join(os.tmpdir(), "pr-check-"));
            try {
                for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.pr-7.yaml"]) {
                    fs.writeFileSync(path.join(directory, file), "config: {}\n");
                }
                const bin = standIn(directory);
                const run = (failStack: string) => {
                    const calls = path.join(directory, `calls-${failStack}`);
                    const summary = path.join(directory, `summary-${failStack}`);
                    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", loop], {
                        cwd: directory,
                        encoding: "utf8",
                        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CALLS: calls, FAIL_STACK: failStack, GITHUB_STEP_SUMMARY: summary },
                    });
                    return {
                        code: result.status,
                        calls: fs.readFileSync(calls, "utf8").trim().split("\n"),
                        summary: fs.readFileSync(summary, "utf8"),
                        comment: fs.readFileSync(path.join(directory, "comment.md"), "utf8"),
                    };
                };

                const passing = run("none");
                assert.equal(passing.code, 0);
                assert.deepEqual(
                    passing.calls,
                    ["dev", "pr-7", "prod"].flatMap((s) => [
                        `run --silent check -- --stack ${s} --diagram --sarif sarif/${s}.sarif`,
                        `run --silent check -- --stack ${s} --json`,
                        `run --silent cost-diff -- --stack ${s} --base cost/base-${s}.json --head cost/head-${s}.json`,
                    ]),
                );
                assert.ok(fs.statSync(path.join(directory, "sarif")).isDirectory(), "the loop makes the folder the reports go to");
                assert.equal(fs.readFileSync(path.join(directory, "cost", "head-dev.json"), "utf8"), "{}\n", "the head's --json kept for the comparison");
                assert.match(passing.summary, /### `npm run check -- --stack dev`: passed\n```text\nStack report for dev\n```\nCost change of dev from cost\/base-dev\.json to cost\/head-dev\.json\n```mermaid\nflowchart LR\n```/);
                assert.match(
                    passing.comment,
                    /^### `npm run check -- --stack dev`: passed\n\nCost change of dev from cost\/base-dev\.json to cost\/head-dev\.json\n\n<details><summary>The check's report<\/summary>\n\n```text\nStack report for dev\n```\n\n<\/details>\n\n### `npm run check -- --stack pr-7`: passed\n/,
                    "one comment: each stack's verdict with its cost change",
                );
                assert.doesNotMatch(passing.comment, /mermaid/);

                const failing = run("pr-7");
                assert.equal(failing.code, 1, "one failing stack fails the job");
                assert.equal(failing.calls.length, 9, "the other stacks are still checked");
                assert.match(failing.summary, /--stack pr-7`: FAILED/);
                assert.match(failing.comment, /### `npm run check -- --stack pr-7`: FAILED\n\nThe fixed monthly cost of `pr-7` could not be compared\.\n/);
            } finally {
                fs.rmSync(directory, { recursive: true, force: true });
            }
        });

        it("check estimates every stack of the head on the base branch too, in its own checkout, never failing the job", () => {
            const steps = wf().jobs.check.steps;
            const checkout = steps.findIndex((s) => usesAction(s, "actions/checkout") && s.with?.path === ".base");
            const base = steps.findIndex((s) => s["working-directory"] === ".base");
            const loop = steps.findIndex((s) => (s.run ?? "").includes("Pulumi.*.yaml") && s["working-directory"] === undefined);
            const tests = steps.findIndex((s) => s.run === "npm test");
            assert.ok(tests < checkout && checkout < base && base < loop, "after the tests (the checkout is inside the workspace), before the head's loop reads its estimates");
            assert.equal(steps[checkout].with?.ref, "${{ github.event.pull_request.base.sha }}");
            assert.equal((steps[base] as Step & { "continue-on-error"?: boolean })["continue-on-error"], true);

            const directory = fs.mkdtempSync(path.join(os.tmpdir(), "pr-base-"));
            try {
                for (const file of ["Pulumi.dev.yaml", "Pulumi.pr-7.yaml"]) {
                    fs.writeFileSync(path.join(directory, file), "config: {}\n");
                }
                fs.mkdirSync(path.join(directory, ".base"));
                fs.writeFileSync(path.join(directory, ".base", "Pulumi.dev.yaml"), "config: {}\n");
                const bin = standIn(directory);
                const calls = path.join(directory, "calls");
                const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", steps[base].run!], {
                    cwd: path.join(directory, ".base"),
                    encoding: "utf8",
                    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CALLS: calls, FAIL_STACK: "dev" },
                });
                assert.equal(result.status, 0, result.stderr);
                assert.deepEqual(fs.readFileSync(calls, "utf8").trim().split("\n"), ["ci", "run --silent check -- --stack dev --json"], "a stack the pull request adds has no base");
                assert.deepEqual(fs.readdirSync(path.join(directory, "cost")), ["base-dev.json"]);
            } finally {
                fs.rmSync(directory, { recursive: true, force: true });
            }
        });

        it("check comments each stack's verdict and cost change on the pull request, one comment updated on every push, failed or not; not for forks or Dependabot", () => {
            const check = wf().jobs.check;
            const loop = check.steps.findIndex((s) => (s.run ?? "").includes("Pulumi.*.yaml") && s["working-directory"] === undefined);
            const comment = check.steps.findIndex((s) => usesAction(s, "marocchino/sticky-pull-request-comment"));
            assert.ok(comment > loop);
            const step = check.steps[comment];
            assert.deepEqual(step.with, { header: "npm-run-check", path: "comment.md" });
            assert.match(step.if ?? "", /^always\(\) && hashFiles\('comment\.md'\) != ''/);
            assert.match(step.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
            assert.match(step.if ?? "", /github\.actor != 'dependabot\[bot\]'/);
        });

        it("check uploads every stack's SARIF to code scanning after the loop, failed or not; forks and Dependabot (read-only tokens) skip it", () => {
            const check = wf().jobs.check;
            const loop = check.steps.findIndex((s) => (s.run ?? "").includes("Pulumi.*.yaml") && s["working-directory"] === undefined);
            const upload = check.steps.findIndex((s) => usesAction(s, "github/codeql-action/upload-sarif"));
            assert.ok(upload > loop, "the upload follows the check of every stack");
            const step = check.steps[upload];
            assert.equal(step.with?.sarif_file, "sarif", "the folder the loop writes each stack's report to");
            assert.match(step.if ?? "", /^always\(\) && /, "the findings of a failed check are the ones a reviewer needs");
            assert.match(step.if ?? "", /hashFiles\('sarif\/\*\.sarif'\) != ''/);
            assert.match(step.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
            assert.match(step.if ?? "", /github\.actor != 'dependabot\[bot\]'/);
            assert.deepEqual(permissionsOf(wf(), check), { contents: "read", actions: "read", "security-events": "write", "pull-requests": "write" });
            // One analysis per stack: the category comes from each report (see tests/tools/check/sarif.spec.ts).
            assert.equal(step.with?.category, undefined, "a single category would merge the stacks' analyses");
        });

        it("preview: pulumi preview of dev and prod with the policy pack and its stack config, commented on the pull request", () => {
            const preview = wf().jobs.preview;
            assert.deepEqual(preview.strategy?.matrix?.stack, ["dev", "prod"]);
            assert.match(preview.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
            const pulumi = preview.steps.find((s) => usesAction(s, "pulumi/actions"))!;
            assert.equal(pulumi.with?.command, "preview");
            assert.equal(pulumi.with?.policyPacks, "policies");
            assert.equal(pulumi.with?.policyPackConfigs, "policies/config.${{ matrix.stack }}.json");
            assert.equal(pulumi.with?.["comment-on-pr"], true);
            assert.equal(permissionsOf(wf(), preview)["pull-requests"], "write");
            assert.match(preview.env?.STACK ?? "", /\$\{\{ matrix\.stack \}\}$/);
            assert.equal(String((preview as unknown as { needs: string }).needs), "check");
            for (const stack of ["dev", "prod"]) {
                assert.ok(fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml`);
            }
        });
    });

    describe("deploy.yml", () => {
        const wf = () => workflow("deploy.yml");
        const upStep = (job: Job) => job.steps.find((s) => usesAction(s, "pulumi/actions"))!;

        it("dev: pulumi up with the pack on every push to main, never cancelled halfway", () => {
            const on = wf().on as { push: { branches: string[]; tags: string[] } };
            assert.deepEqual(on.push.branches, ["main"]);
            const dev = wf().jobs.dev;
            assert.match(dev.if ?? "", /github\.ref == 'refs\/heads\/main'/);
            assert.deepEqual(
                { command: upStep(dev).with?.command, policyPacks: upStep(dev).with?.policyPacks, policyPackConfigs: upStep(dev).with?.policyPackConfigs },
                { command: "up", policyPacks: "policies", policyPackConfigs: "policies/config.dev.json" },
            );
            assert.match(dev.env?.STACK ?? "", /dev$/);
            assert.deepEqual(dev.concurrency, { group: "deploy-dev", "cancel-in-progress": false });
        });

        it("prod: pulumi up with the pack by manual dispatch or a release tag, behind the production environment", () => {
            const on = wf().on as { push: { tags: string[] }; workflow_dispatch: unknown };
            assert.ok("workflow_dispatch" in on);
            assert.deepEqual(on.push.tags, ["v*"]);
            const prod = wf().jobs.prod;
            assert.equal(prod.environment, "production");
            assert.match(prod.if ?? "", /workflow_dispatch/);
            assert.match(prod.if ?? "", /refs\/tags\/v/);
            assert.doesNotMatch(prod.if ?? "", /refs\/heads\/main/, "a push to main never deploys prod");
            assert.deepEqual(
                { command: upStep(prod).with?.command, policyPacks: upStep(prod).with?.policyPacks, policyPackConfigs: upStep(prod).with?.policyPackConfigs },
                { command: "up", policyPacks: "policies", policyPackConfigs: "policies/config.prod.json" },
            );
            assert.match(prod.env?.STACK ?? "", /prod$/);
            assert.deepEqual(prod.concurrency, { group: "deploy-prod", "cancel-in-progress": false });
        });

        it("the offline check of the stack runs before any credentials", () => {
            for (const [stack, job] of [["dev", wf().jobs.dev], ["prod", wf().jobs.prod]] as const) {
                const check = job.steps.findIndex((s) => s.run === `npm run check -- --stack ${stack}`);
                const credentials = job.steps.findIndex((s) => usesAction(s, "aws-actions/configure-aws-credentials"));
                assert.ok(check >= 0 && check < credentials, stack);
            }
        });
    });

    describe("review-stack.yml", () => {
        const wf = () => workflow("review-stack.yml");

        it("a pull request labelled review-stack gets stack pr-<number> from dev's config, brought up with the pack", () => {
            const on = wf().on as { pull_request: { types: string[] } };
            assert.deepEqual([...on.pull_request.types].sort(), ["closed", "labeled", "reopened", "synchronize", "unlabeled"]);
            assert.match(wf().env?.STACK ?? "", /pr-\$\{\{ github\.event\.pull_request\.number \}\}$/);
            const up = wf().jobs.up;
            assert.match(up.if ?? "", /contains\(github\.event\.pull_request\.labels\.\*\.name, 'review-stack'\)/);
            assert.match(up.if ?? "", /github\.event\.action != 'closed'/);
            const script = up.steps.map((s) => s.run ?? "").join("\n");
            assert.match(script, /pulumi stack init "\$STACK"/);
            assert.match(script, /pulumi config cp --stack "\$DEV_STACK" --dest "\$STACK"/);
            const pulumi = up.steps.find((s) => usesAction(s, "pulumi/actions") && s.with?.command !== undefined)!;
            assert.deepEqual(
                { command: pulumi.with?.command, stack: pulumi.with?.["stack-name"], packs: pulumi.with?.policyPacks, config: pulumi.with?.policyPackConfigs },
                { command: "up", stack: "${{ env.STACK }}", packs: "policies", config: "policies/config.dev.json" },
            );
        });

        it("closing the pull request (or removing the label) destroys the stack and removes it", () => {
            const down = wf().jobs.down;
            assert.match(down.if ?? "", /github\.event\.action == 'closed'/);
            assert.match(down.if ?? "", /github\.event\.label\.name == 'review-stack'/);
            const script = down.steps.map((s) => s.run ?? "").join("\n");
            const destroy = script.indexOf('pulumi destroy --stack "$STACK" --yes');
            const remove = script.indexOf('pulumi stack rm "$STACK" --yes');
            assert.ok(destroy >= 0 && remove > destroy, "pulumi destroy, then pulumi stack rm");
        });

        it("up and down of one pull request never overlap and are never cancelled", () => {
            assert.deepEqual(wf().concurrency, { group: "review-stack-${{ github.event.pull_request.number }}", "cancel-in-progress": false });
        });
    });

    describe("policies.yml", () => {
        const wf = () => workflow("policies.yml");

        it("on a push to main touching policies/, publishes the pack and enables it org-wide with prod's config", () => {
            const on = wf().on as { push: { branches: string[]; paths: string[] } };
            assert.deepEqual(on.push, { branches: ["main"], paths: ["policies/**"] });
            const script = wf().jobs.publish.steps.map((s) => s.run ?? "").join("\n");
            const publish = script.indexOf('pulumi policy publish "$PULUMI_ORG"');
            const enable = script.indexOf('pulumi policy enable "$PULUMI_ORG/event-pipeline-guardrails" latest --config policies/config.prod.json');
            assert.ok(publish >= 0 && enable > publish, "publish, then enable");
            assert.equal(wf().jobs.publish.steps.find((s) => (s.run ?? "").includes("pulumi policy publish"))?.["working-directory"], "policies");
        });

        it("enables the pack by the name policies/index.ts gives it", () => {
            const index = fs.readFileSync(path.join(ROOT, "policies", "index.ts"), "utf8");
            const name = /new PolicyPack\("([^"]+)"/.exec(index)?.[1];
            assert.equal(name, "event-pipeline-guardrails");
            assert.match(wf().text, new RegExp(`pulumi policy enable "\\$PULUMI_ORG/${name}" latest`));
        });
    });
});
