import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { THIS_PROJECT_ROOT } from "../../tools/project";
import { listStacks, readProjectName, readStackConfig, StackFileError } from "../../tools/stack-files";

/** A throwaway project folder holding the given files. */
function project(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "stack-files-"));
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(root, name), text);
    }
    return root;
}

const PROJECT_YAML = [
    "name: event-pipeline",
    "runtime: nodejs",
    "config:",
    "  event-pipeline:logRetentionDays:",
    "    type: integer",
    "    default: 14",
    "  event-pipeline:alarmEmails:",
    "    type: array",
    "    default: []",
    "  event-pipeline:owner:",
    "    type: string",
    "",
].join("\n");

describe("tools/stack-files", () => {
    const roots: string[] = [];
    const temp = (files: Record<string, string>) => {
        const root = project(files);
        roots.push(root);
        return root;
    };

    after(() => {
        for (const root of roots) {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    describe("listStacks", () => {
        it("lists the project's stacks, dev and prod among them, sorted", () => {
            const stacks = listStacks(THIS_PROJECT_ROOT);
            assert.ok(stacks.includes("dev") && stacks.includes("prod"));
            assert.deepEqual(stacks, [...stacks].sort());
        });

        it("counts only Pulumi.<stack>.yaml files", () => {
            const root = temp({ "Pulumi.yaml": PROJECT_YAML, "Pulumi.b.yaml": "", "Pulumi.a.yaml": "", "notes.yaml": "", "Pulumi.c.yml": "" });
            assert.deepEqual(listStacks(root), ["a", "b"]);
        });
    });

    describe("readProjectName", () => {
        it("reads the name Pulumi.yaml declares", () => {
            assert.equal(readProjectName(temp({ "Pulumi.yaml": "name: payments\nruntime: nodejs\n" })), "payments");
            assert.throws(() => readProjectName(temp({ "Pulumi.yaml": "name: ''\n" })), StackFileError);
        });
    });

    describe("readStackConfig", () => {
        it("reads Pulumi.dev.yaml as the program sees it: full keys, scalars as text, objects and lists as JSON text", () => {
            const { stack, config, secretKeys } = readStackConfig(THIS_PROJECT_ROOT, "dev");
            assert.equal(stack, "dev");
            assert.deepEqual(secretKeys, []);
            assert.equal(config["aws:region"], "us-east-1");
            assert.equal(config["event-pipeline:environment"], "dev");
            assert.equal(config["event-pipeline:logRetentionDays"], "14");
            assert.equal(typeof config["event-pipeline:consumers"], "string");
            const consumers = JSON.parse(config["event-pipeline:consumers"]!) as { name: string }[];
            assert.deepEqual(consumers.map((c) => c.name), ["order-audit", "order-fulfilment"]);
            assert.deepEqual(JSON.parse(config["event-pipeline:worker"]!), { build: true, cpu: 256, memory: 512, minTasks: 0, maxTasks: 2, backlogPerTask: 50 });
        });

        it("applies Pulumi.yaml's defaults under the stack file's values", () => {
            assert.equal(readStackConfig(THIS_PROJECT_ROOT, "dev").config["event-pipeline:alarmEmails"], "[]");
            assert.deepEqual(JSON.parse(readStackConfig(THIS_PROJECT_ROOT, "prod").config["event-pipeline:alarmEmails"]!), ["oncall@example.com", "platform-alerts@example.com"]);
            const root = temp({ "Pulumi.yaml": PROJECT_YAML, "Pulumi.x.yaml": "config:\n  event-pipeline:logRetentionDays: 30\n" });
            assert.deepEqual(readStackConfig(root, "x").config, { "event-pipeline:logRetentionDays": "30", "event-pipeline:alarmEmails": "[]" });
        });

        it("puts a key written without a namespace in the project's namespace", () => {
            const root = temp({ "Pulumi.yaml": PROJECT_YAML, "Pulumi.x.yaml": "config:\n  owner: payments\n  aws:region: eu-west-1\n" });
            const { config } = readStackConfig(root, "x");
            assert.equal(config["event-pipeline:owner"], "payments");
            assert.equal(config["aws:region"], "eu-west-1");
        });

        it("makes a secure: value a secret key with an opaque placeholder (it cannot be decrypted offline)", () => {
            const root = temp({
                "Pulumi.yaml": PROJECT_YAML,
                "Pulumi.x.yaml": "config:\n  event-pipeline:owner: payments\n  event-pipeline:apiToken:\n    secure: AAABAMcWcJ7mVbZ2Y3Q=\n",
            });
            const { config, secretKeys } = readStackConfig(root, "x");
            assert.deepEqual(secretKeys, ["event-pipeline:apiToken"]);
            assert.equal(config["event-pipeline:apiToken"], "[secret]");
            assert.doesNotMatch(JSON.stringify(config), /AAABAMcWcJ7mVbZ2Y3Q=/);
        });

        it("keeps an object that merely has a secure key among others as plain config", () => {
            const root = temp({ "Pulumi.yaml": PROJECT_YAML, "Pulumi.x.yaml": "config:\n  event-pipeline:tls:\n    secure: true\n    port: 443\n" });
            const { config, secretKeys } = readStackConfig(root, "x");
            assert.deepEqual(secretKeys, []);
            assert.deepEqual(JSON.parse(config["event-pipeline:tls"]!), { secure: true, port: 443 });
        });

        it("reads a stack file without config as the project's defaults", () => {
            const root = temp({ "Pulumi.yaml": PROJECT_YAML, "Pulumi.empty.yaml": "" });
            assert.deepEqual(readStackConfig(root, "empty").config, { "event-pipeline:logRetentionDays": "14", "event-pipeline:alarmEmails": "[]" });
        });

        it("names the stacks that exist when asked for one that does not", () => {
            assert.throws(
                () => readStackConfig(THIS_PROJECT_ROOT, "staging"),
                (e: unknown) => e instanceof StackFileError && /No stack "staging": Pulumi\.staging\.yaml does not exist\. Stacks here: .*dev.*prod/.test(e.message),
            );
            const root = temp({ "Pulumi.yaml": PROJECT_YAML });
            assert.throws(() => readStackConfig(root, "dev"), /Stacks here: none\./);
        });

        it("refuses a Pulumi.yaml without a name, as the CLI does, saying how to fix it", () => {
            const root = temp({ "Pulumi.yaml": "runtime: nodejs\n", "Pulumi.x.yaml": "config:\n  owner: payments\n" });
            assert.throws(() => readStackConfig(root, "x"), (e: unknown) => e instanceof StackFileError && /^Pulumi\.yaml in .* has no name: add a line `name: <project>`$/.test(e.message));
        });

        it("names the file that is not valid YAML", () => {
            const root = temp({ "Pulumi.yaml": PROJECT_YAML, "Pulumi.broken.yaml": "config:\n  a: [1, 2\n" });
            assert.throws(() => readStackConfig(root, "broken"), (e: unknown) => e instanceof StackFileError && /^Pulumi\.broken\.yaml is not valid YAML/.test(e.message));
        });
    });
});
