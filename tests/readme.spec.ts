/**
 * The documents say what is true of the code:
 * - the README's config reference lists every key of `config.ts`'s schema (walked, not copied),
 *   with the loader's defaults and the values `Pulumi.dev.yaml` / `Pulumi.prod.yaml` set;
 * - `components/README.md` has a section per component whose example passes exactly the arguments
 *   its source declares (every required one), and the source documents every argument and output
 *   (read with the TypeScript compiler);
 * - the commands and links the documents give exist.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { ConfigError, parseStackConfig, stackConfigSchema } from "../config";
import { readStackConfig } from "../tools/stack-files";

const ROOT = path.resolve(__dirname, "..");
const NAMESPACE = "event-pipeline";
const REGION_KEY = "aws:region";

// ---------------------------------------------------------------------------------------------
// The schema's keys

interface SchemaNode {
    def: { type: string; innerType?: SchemaNode; in?: SchemaNode; element?: SchemaNode };
    shape?: Record<string, SchemaNode>;
}

/** Key paths of the schema: leaves as `lambda.timeoutSeconds`; a list of objects as `consumers` and `consumers[].name`. */
export function schemaKeyPaths(schema: SchemaNode, prefix = ""): string[] {
    const { type } = schema.def;
    if (type === "default" || type === "optional" || type === "prefault" || type === "nullable") {
        return schemaKeyPaths(schema.def.innerType!, prefix);
    }
    if (type === "pipe") {
        return schemaKeyPaths(schema.def.in!, prefix);
    }
    if (type === "object") {
        return Object.entries(schema.shape!).flatMap(([key, child]) => schemaKeyPaths(child, prefix ? `${prefix}.${key}` : key));
    }
    if (type === "array" && schema.def.element!.def.type === "object") {
        return [prefix, ...schemaKeyPaths(schema.def.element!, `${prefix}[]`)];
    }
    return [prefix];
}

export function configKeys(): string[] {
    return [...schemaKeyPaths(stackConfigSchema as unknown as SchemaNode), REGION_KEY];
}

// ---------------------------------------------------------------------------------------------
// Values as the table shows them

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function code(value: unknown): string {
    return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}

/** `—` for unset; a list of consumers by their names; a list of scalars comma-separated; anything else in code. */
export function formatValue(value: unknown): string {
    if (value === undefined) {
        return "—";
    }
    if (Array.isArray(value)) {
        if (value.length === 0) {
            return "`[]`";
        }
        if (value.every((v) => isPlainObject(v) && typeof v.name === "string")) {
            return value.map((v) => code((v as { name: string }).name)).join(" / ");
        }
        if (value.every((v) => !isPlainObject(v) && !Array.isArray(v))) {
            return value.map(code).join(", ");
        }
    }
    return code(value);
}

/** The value at a key path; under `consumers[]`, one value per consumer. */
function valueAt(values: Record<string, unknown>, key: string): { perConsumer: boolean; values: unknown[] } {
    const [head, ...rest] = key.split(".");
    if (head.endsWith("[]")) {
        const list = values[head.slice(0, -2)];
        const items = Array.isArray(list) ? list : [];
        return { perConsumer: true, values: items.map((item) => (isPlainObject(item) ? item[rest.join(".")] : undefined)) };
    }
    let current: unknown = values[head];
    for (const segment of rest) {
        current = isPlainObject(current) ? current[segment] : undefined;
    }
    return { perConsumer: false, values: [current] };
}

function cellFor(values: Record<string, unknown>, key: string): string {
    const found = valueAt(values, key);
    return found.perConsumer ? found.values.map(formatValue).join(" / ") : formatValue(found.values[0]);
}

/** What a stack file (with the project's defaults) sets, as the program receives it. */
function stackFileValues(stack: string): Record<string, unknown> {
    const { config } = readStackConfig(ROOT, stack);
    const values: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(config)) {
        if (fullKey === REGION_KEY) {
            values[REGION_KEY] = text;
        } else if (fullKey.startsWith(`${NAMESPACE}:`)) {
            const key = fullKey.slice(NAMESPACE.length + 1);
            try {
                values[key] = key === "environment" || key === "owner" ? text : JSON.parse(text);
            } catch {
                values[key] = text;
            }
        }
    }
    return values;
}

/** The loader's default for a key in an environment, or "required" when the loader refuses a config without it. */
function defaultOf(key: string, environment: "dev" | "prod"): { required: boolean; value?: unknown } {
    const base: Record<string, unknown> = { environment, owner: "team", consumers: [{ name: "first", kind: "lambda" }] };
    const [head, ...rest] = key.split(".");
    let problemKey: string;
    if (key === REGION_KEY) {
        problemKey = REGION_KEY;
    } else if (head.endsWith("[]")) {
        delete (base.consumers as Record<string, unknown>[])[0][rest.join(".")];
        problemKey = `${NAMESPACE}:${head.slice(0, -2)}[0].${rest.join(".")}`;
    } else {
        if (rest.length === 0) {
            delete base[head];
        }
        problemKey = `${NAMESPACE}:${key}`;
    }
    const raw = Object.fromEntries(Object.entries(base).map(([k, v]) => [`${NAMESPACE}:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
    let config;
    try {
        config = parseStackConfig(raw, "readme");
    } catch (e) {
        if (e instanceof ConfigError && e.problems.some((p) => p.startsWith(`${problemKey} `) || p.startsWith(`${problemKey}:`))) {
            return { required: true };
        }
        throw e;
    }
    if (key === REGION_KEY) {
        return { required: false, value: config.region };
    }
    const found = valueAt(config as unknown as Record<string, unknown>, key);
    return { required: false, value: found.values[0] };
}

// ---------------------------------------------------------------------------------------------
// The README's table

const HEADER = /^\| key \| type \| default \| dev \| prod \| meaning \|$/;

export interface ConfigRow {
    key: string;
    type: string;
    default: string;
    dev: string;
    prod: string;
}

function cells(line: string): string[] {
    return line
        .replace(/^\|/, "")
        .replace(/\|$/, "")
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
}

export function configTable(readme: string): ConfigRow[] {
    const lines = readme.split("\n");
    const start = lines.findIndex((l) => HEADER.test(l));
    if (start < 0) {
        return [];
    }
    const rows: ConfigRow[] = [];
    for (const line of lines.slice(start + 2)) {
        if (!line.startsWith("|")) {
            break;
        }
        const [key, type, defaultCell, dev, prod] = cells(line);
        rows.push({ key: key.replace(/^`|`$/g, ""), type, default: defaultCell, dev, prod });
    }
    return rows;
}

export interface Expected {
    keys: string[];
    defaults: Record<string, { dev: { required: boolean; value?: unknown }; prod: { required: boolean; value?: unknown } }>;
    stacks: { dev: Record<string, unknown>; prod: Record<string, unknown> };
}

export function expected(): Expected {
    const keys = configKeys();
    return {
        keys,
        defaults: Object.fromEntries(keys.map((k) => [k, { dev: defaultOf(k, "dev"), prod: defaultOf(k, "prod") }])),
        stacks: { dev: stackFileValues("dev"), prod: stackFileValues("prod") },
    };
}

/** Every way the README's table differs from the schema, the loader's defaults and the stack files. */
export function configTableProblems(readme: string, truth: Expected): string[] {
    const rows = configTable(readme);
    if (rows.length === 0) {
        return ["no config table: a table with the header | key | type | default | dev | prod | meaning |"];
    }
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
        if (seen.has(row.key)) {
            problems.push(`${row.key}: listed twice`);
        }
        seen.add(row.key);
        if (!truth.keys.includes(row.key)) {
            problems.push(`${row.key}: not a key of the config schema`);
            continue;
        }
        if (row.type === "") {
            problems.push(`${row.key}: no type`);
        }
        const { dev, prod } = truth.defaults[row.key];
        if (dev.value === undefined && prod.value === undefined) {
            const word = dev.required ? "required" : "none";
            if (row.default !== word) {
                problems.push(`${row.key}: default says "${row.default}", the loader says ${word}`);
            }
        } else {
            for (const value of new Set([formatValue(dev.value), formatValue(prod.value)])) {
                if (!row.default.includes(value)) {
                    problems.push(`${row.key}: default "${row.default}" does not show ${value}`);
                }
            }
        }
        for (const stack of ["dev", "prod"] as const) {
            const want = cellFor(truth.stacks[stack], row.key);
            if (row[stack] !== want) {
                problems.push(`${row.key}: ${stack} says "${row[stack]}", Pulumi.${stack}.yaml sets ${want}`);
            }
        }
    }
    for (const key of truth.keys) {
        if (!seen.has(key)) {
            problems.push(`${key}: missing from the table`);
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// Components, read from their source

/** An argument (a property of the `…Args` interface) or an output (a public readonly field). */
export interface Member {
    name: string;
    optional: boolean;
    /** Has a TSDoc comment: where the argument or output is documented. */
    documented: boolean;
}

export interface ComponentFacts {
    file: string;
    className: string;
    typeToken: string;
    args: Member[];
    outputs: Member[];
}

function member(node: ts.PropertySignature | ts.PropertyDeclaration, source: ts.SourceFile): Member {
    return { name: node.name.getText(source), optional: node.questionToken !== undefined, documented: ts.getJSDocCommentsAndTags(node).length > 0 };
}

export function componentFacts(file: string): ComponentFacts[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const interfaces = new Map<string, Member[]>();
    const classes: ts.ClassDeclaration[] = [];
    source.forEachChild((node) => {
        if (ts.isInterfaceDeclaration(node)) {
            interfaces.set(
                node.name.text,
                node.members.filter(ts.isPropertySignature).map((m) => member(m, source)),
            );
        }
        if (ts.isClassDeclaration(node) && node.heritageClauses?.some((h) => h.getText(source).includes("ComponentResource"))) {
            classes.push(node);
        }
    });
    return classes.map((cls) => {
        const constructor = cls.members.find(ts.isConstructorDeclaration)!;
        const argsType = constructor.parameters[1]?.type?.getText(source) ?? "";
        const typeToken = /super\("([^"]+)"/.exec(constructor.getText(source))?.[1] ?? "";
        const outputs = cls.members
            .filter(ts.isPropertyDeclaration)
            .filter((m) => {
                const modifiers = ts.getModifiers(m) ?? [];
                return (
                    modifiers.some((mod) => mod.kind === ts.SyntaxKind.PublicKeyword) &&
                    modifiers.some((mod) => mod.kind === ts.SyntaxKind.ReadonlyKeyword) &&
                    !modifiers.some((mod) => mod.kind === ts.SyntaxKind.StaticKeyword)
                );
            })
            .map((m) => member(m, source));
        return { file: path.relative(ROOT, file), className: cls.name!.text, typeToken, args: interfaces.get(argsType) ?? [], outputs };
    });
}

/** The property names of the arguments object of the first `new <className>(name, { … })` in a section's ts blocks. */
function exampleArguments(section: string, className: string): string[] | undefined {
    for (const block of section.matchAll(/```ts\n([\s\S]*?)```/g)) {
        const source = ts.createSourceFile("example.ts", block[1], ts.ScriptTarget.ES2022, true);
        let found: string[] | undefined;
        const visit = (node: ts.Node): void => {
            if (found === undefined && ts.isNewExpression(node) && node.expression.getText(source) === className) {
                const args = node.arguments?.[1];
                found = args !== undefined && ts.isObjectLiteralExpression(args) ? args.properties.map((p) => p.name?.getText(source) ?? "") : [];
            }
            node.forEachChild(visit);
        };
        visit(source);
        if (found !== undefined) {
            return found;
        }
    }
    return undefined;
}

/** Every way `components/README.md` differs from the components' source. */
export function componentReadmeProblems(readme: string, components: ComponentFacts[]): string[] {
    const problems: string[] = [];
    const sections = new Map<string, string>();
    for (const part of readme.split(/^## /m).slice(1)) {
        sections.set(part.split("\n")[0].trim(), part);
    }
    for (const component of components) {
        const section = sections.get(component.className);
        if (section === undefined) {
            problems.push(`${component.className} (${component.file}): no "## ${component.className}" section`);
            continue;
        }
        for (const required of [`](${path.basename(component.file)})`, `\`${component.typeToken}\``]) {
            if (!section.includes(required)) {
                problems.push(`${component.className}: the section does not link its file and name its type (${required})`);
            }
        }
        const example = exampleArguments(section, component.className);
        if (example === undefined) {
            problems.push(`${component.className}: no example (\`new ${component.className}(…)\` in a ts block)`);
        } else {
            const names = component.args.map((a) => a.name);
            const unknown = example.filter((n) => !names.includes(n));
            const missing = component.args.filter((a) => !a.optional && !example.includes(a.name)).map((a) => a.name);
            if (unknown.length > 0) {
                problems.push(`${component.className}: the example passes arguments the source does not have: ${unknown.join(", ")}`);
            }
            if (missing.length > 0) {
                problems.push(`${component.className}: the example leaves out required arguments: ${missing.join(", ")}`);
            }
        }
        if (!/^### Defaults/m.test(section)) {
            problems.push(`${component.className}: no "### Defaults" section`);
        }
    }
    return problems;
}

/** The arguments and outputs the components' source leaves undocumented: the reference the README links to. */
export function undocumentedMembers(components: ComponentFacts[]): string[] {
    return components.flatMap((component) =>
        (["args", "outputs"] as const).flatMap((kind) => {
            const undocumented = component[kind].filter((m) => !m.documented).map((m) => m.name);
            return undocumented.length > 0 ? [`${component.className} (${component.file}): ${kind} without a TSDoc comment: ${undocumented.join(", ")}`] : [];
        }),
    );
}

function allComponents(): ComponentFacts[] {
    const dir = path.join(ROOT, "components");
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ts"))
        .sort()
        .flatMap((f) => componentFacts(path.join(dir, f)));
}

// ---------------------------------------------------------------------------------------------
// Commands and links

/** `npm run <script>` and `npm test` in a document's code blocks and inline code. */
function npmScriptsIn(markdown: string): string[] {
    const scripts: string[] = [];
    for (const m of markdown.matchAll(/\bnpm run (?:--?[\w-]+ )*([\w:.-]+)/g)) {
        scripts.push(m[1]);
    }
    for (const _ of markdown.matchAll(/\bnpm test\b/g)) {
        scripts.push("test");
    }
    return scripts;
}

/** Relative links `[text](path)` (not URLs, not anchors). */
function relativeLinks(markdown: string): string[] {
    return [...markdown.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((target) => !/^[a-z]+:/.test(target));
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

// ---------------------------------------------------------------------------------------------

describe("README.md and the documents beside it", function () {
    this.timeout(60_000);
    const packageScripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

    describe("the config reference table", () => {
        let truth: Expected;
        before(() => {
            truth = expected();
        });

        it("the schema walk finds the keys config.ts declares", () => {
            assert.ok(truth.keys.includes("environment"));
            assert.ok(truth.keys.includes("consumers"));
            assert.ok(truth.keys.includes("consumers[].maxReceiveCount"));
            assert.ok(truth.keys.includes("lambda.timeoutSeconds"));
            assert.ok(truth.keys.includes("network.natGateways"));
            assert.ok(!truth.keys.includes("lambda"), "objects are listed by their keys, not as a row of their own");
            assert.equal(new Set(truth.keys).size, truth.keys.length);
        });

        it("the defaults come from the loader: required keys, environment-dependent defaults", () => {
            assert.deepEqual(truth.defaults.environment.dev, { required: true });
            assert.deepEqual(truth.defaults["consumers[].name"].dev, { required: true });
            assert.deepEqual(truth.defaults["worker.image"].dev, { required: false, value: undefined });
            assert.deepEqual(truth.defaults.protect, { dev: { required: false, value: false }, prod: { required: false, value: true } });
            assert.equal(truth.defaults["network.natGateways"].prod.value, "onePerAz");
            assert.equal(truth.defaults["consumers[].maxReceiveCount"].dev.value, 5);
            assert.equal(truth.defaults[REGION_KEY].dev.value, "us-east-1");
        });

        it("lists every key of the schema once, with the loader's defaults and what each stack file sets", () => {
            assert.deepEqual(configTableProblems(read("README.md"), truth), []);
        });

        it("notices a stale table: a key missing, a key that is not one, a wrong default, a stack value out of date", () => {
            const readme = read("README.md");
            const breakages: [string, (text: string) => string, RegExp][] = [
                ["a row removed", (t) => t.replace(/^\| `lambda\.memoryMb` \|.*\n/m, ""), /lambda\.memoryMb: missing/],
                ["a renamed key", (t) => t.replace("| `worker.backlogPerTask` |", "| `worker.backlog` |"), /worker\.backlog: not a key/],
                ["a wrong default", (t) => t.replace(/^(\| `lambda\.timeoutSeconds` \| [^|]+ \| )`30`/m, "$1`31`"), /lambda\.timeoutSeconds: default/],
                ["a stale dev value", (t) => t.replace(/^(\| `logRetentionDays` \| [^|]+ \| `14` \| )`14`/m, "$1`30`"), /logRetentionDays: dev says/],
                ["a stale prod value", (t) => t.replace(/^(\| `aws:region` \| [^|]+ \| [^|]+ \| [^|]+ \| )`eu-west-1`/m, "$1`eu-central-1`"), /aws:region: prod says/],
                ["a required key given a default", (t) => t.replace(/^(\| `owner` \| [^|]+ \| )required/m, "$1`nobody`"), /owner: default says/],
            ];
            for (const [what, breakIt, problem] of breakages) {
                const broken = breakIt(readme);
                assert.notEqual(broken, readme, `${what}: the breakage did not apply`);
                const problems = configTableProblems(broken, truth);
                assert.ok(problems.some((p) => problem.test(p)), `${what}: not noticed (${problems.join("; ") || "no problems"})`);
            }
            assert.deepEqual(configTableProblems("# no table here\n", truth).length, 1);
        });
    });

    describe("README.md", () => {
        const readme = () => read("README.md");

        it("starts with npm ci, then npm run check -- --stack dev, then npm test", () => {
            const quickStart = readme().split(/^## Quick start$/m)[1]?.split(/^## /m)[0] ?? "";
            const commands = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)]
                .flatMap((m) => m[1].split("\n"))
                .map((l) => l.replace(/#.*$/, "").trim())
                .filter(Boolean);
            assert.deepEqual(commands.slice(0, 3), ["npm ci", "npm run check -- --stack dev", "npm test"]);
        });

        it("records the check's measured time per stack, with the date and the machine", () => {
            const timing = readme().split(/^### How long the check takes$/m)[1]?.split(/^##/m)[0] ?? "";
            assert.doesNotMatch(timing, /PLACEHOLDER/);
            assert.match(timing, /\b20\d\d-\d\d-\d\d\b/, "the date");
            assert.match(timing, /dev[^\n]*\d+(\.\d+)? s/, "dev's median");
            assert.match(timing, /prod[^\n]*\d+(\.\d+)? s/, "prod's median");
        });

        it("documents the Pulumi CLI commands of the issue: backends, select, config set, preview with the pack, up, destroy", () => {
            for (const command of [
                "pulumi login file://",
                "pulumi login s3://",
                "pulumi stack select",
                "pulumi config set",
                "pulumi preview --policy-pack policies",
                "pulumi up",
                "pulumi destroy",
                "pulumi import",
            ]) {
                assert.ok(readme().includes(command), command);
            }
        });

        it("links the policy pack's README", () => {
            assert.match(readme(), /\]\(policies\/README\.md\)/);
        });
    });

    describe("components/README.md", () => {
        it("reads the components from their source", () => {
            const facts = allComponents();
            const queue = facts.find((c) => c.className === "ConsumerQueue")!;
            assert.equal(queue.typeToken, "event-pipeline:messaging:ConsumerQueue");
            assert.deepEqual(queue.args.find((a) => a.name === "maxReceiveCount"), { name: "maxReceiveCount", optional: false, documented: true });
            assert.equal(queue.args.find((a) => a.name === "filterPolicy")?.optional, true);
            assert.ok(queue.outputs.some((o) => o.name === "deadLetterQueueUrl"));
            assert.ok(facts.length >= 9, `${facts.length} components`);
        });

        it("has a section per component: its file and type, an example that fits its arguments, its defaults", () => {
            assert.deepEqual(componentReadmeProblems(read("components/README.md"), allComponents()), []);
        });

        it("finds every argument and output documented where it is declared", () => {
            assert.deepEqual(undocumentedMembers(allComponents()), []);
        });

        it("notices an example that drifts from the source, and an argument or output left undocumented", () => {
            const readme = read("components/README.md");
            const facts = allComponents();
            const renamed = readme.replace("maxReceiveCount: 5,", "maxReceiveCounts: 5,");
            assert.notEqual(renamed, readme);
            const renamedProblems = componentReadmeProblems(renamed, facts);
            assert.ok(renamedProblems.some((p) => /ConsumerQueue: the example passes arguments the source does not have: maxReceiveCounts/.test(p)));
            assert.ok(renamedProblems.some((p) => /ConsumerQueue: the example leaves out required arguments: maxReceiveCount/.test(p)));
            const withNewArg = facts.map((c) => (c.className === "EventTopic" ? { ...c, args: [...c.args, { name: "retention", optional: false, documented: true }] } : c));
            assert.ok(componentReadmeProblems(readme, withNewArg).some((p) => /EventTopic: the example leaves out required arguments: retention/.test(p)));
            const withOptionalArg = facts.map((c) => (c.className === "EventTopic" ? { ...c, args: [...c.args, { name: "retention", optional: true, documented: true }] } : c));
            assert.deepEqual(componentReadmeProblems(readme, withOptionalArg), [], "an optional argument may be left out");
            const undocumented = facts.map((c) => (c.className === "EventTopic" ? { ...c, outputs: c.outputs.map((o) => ({ ...o, documented: false })) } : c));
            assert.ok(undocumentedMembers(undocumented).some((p) => /EventTopic \(components\/event-topic\.ts\): outputs without a TSDoc comment: topicArn, topicName/.test(p)));
            assert.ok(componentReadmeProblems(readme.replace(/^## AlarmTopic[\s\S]*?(?=^## )/m, ""), facts).some((p) => /AlarmTopic .*no "## AlarmTopic" section/.test(p)));
        });
    });

    describe("commands and links", () => {
        for (const file of ["README.md", "components/README.md", "CONTRIBUTING.md"]) {
            it(`${file}: every npm script it names exists, every relative link resolves`, () => {
                const text = read(file);
                const scripts = npmScriptsIn(text);
                assert.deepEqual(
                    scripts.filter((s) => packageScripts[s] === undefined),
                    [],
                    "scripts missing from package.json",
                );
                const broken = relativeLinks(text).filter((target) => !fs.existsSync(path.join(ROOT, path.dirname(file), target)));
                assert.deepEqual(broken, [], "links to files that do not exist");
            });
        }
    });
});
