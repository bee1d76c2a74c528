/**
 * policies/README.md's table of policies, parsed, against the list the pack is built from: every
 * policy has exactly one row, in the pack's order, with its kind, its description's "why", its
 * default level, each config property with its default, and the AWS documentation page its rule
 * comes from (its description's last line, which `pulumi preview` shows under the why).
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { EXEMPTIONS_PROPERTY } from "../../policies/lib/exemptions";
import { policies } from "../../policies/policies";

const README = path.resolve(__dirname, "../../policies/README.md");
const HEADER = ["policy", "kind", "why", "default level", "config (default)", "AWS documentation"];
/** A description's last line: the AWS documentation page the rule comes from. */
const SOURCE_LINE = /^AWS documentation: (https:\/\/docs\.aws\.amazon\.com\/\S+)$/;

export interface ReadmeRow {
    line: number;
    name: string;
    kind: string;
    why: string;
    level: string;
    /** property → its default, parsed from the JSON in the cell. */
    config: Record<string, unknown>;
    /** The URL of the cell's Markdown link. */
    source: string;
}

/** A description's why (every line but the last) and the URL of its last line; undefined parts when it has no such line. */
export function splitDescription(description: string): { why: string; source?: string } {
    const lines = description.split("\n");
    const source = SOURCE_LINE.exec(lines[lines.length - 1] ?? "")?.[1];
    return source === undefined ? { why: description } : { why: lines.slice(0, -1).join("\n"), source };
}

/** The cells of a Markdown table row; `\|` is a pipe inside a cell. */
function cells(line: string): string[] {
    const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
    return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

/** `` `name` `` → name; anything else is an error in the table. */
function codeSpan(text: string, where: string): string {
    const match = /^`([^`]+)`$/.exec(text.trim());
    if (!match) {
        throw new Error(`${where}: expected a \`code span\`, found ${JSON.stringify(text)}`);
    }
    return match[1];
}

/** "—" (none), or `` `property` = `<JSON default>` `` (or `` `property` (no default…) ``) entries separated by `<br>`. */
function parseConfig(cell: string, where: string): Record<string, unknown> {
    if (cell === "—" || cell === "") {
        return {};
    }
    const config: Record<string, unknown> = {};
    for (const entry of cell.split(/<br\s*\/?>/)) {
        const withoutDefault = /^`([^`]+)`\s*\(no default\b[^)]*\)$/.exec(entry.trim());
        if (withoutDefault) {
            config[withoutDefault[1]] = undefined;
            continue;
        }
        const match = /^`([^`]+)`\s*=\s*`([^`]*)`$/.exec(entry.trim());
        if (!match) {
            throw new Error(`${where}: config entry ${JSON.stringify(entry)} is not \`property\` = \`<JSON default>\``);
        }
        if (match[1] in config) {
            throw new Error(`${where}: config property ${match[1]} is listed twice`);
        }
        try {
            config[match[1]] = JSON.parse(match[2]);
        } catch {
            throw new Error(`${where}: the default of ${match[1]} is not JSON: ${match[2]}`);
        }
    }
    return config;
}

/** `[text](url)` → url; anything else is an error in the table. */
function linkTarget(text: string, where: string): string {
    const match = /^\[[^\]]+\]\((\S+)\)$/.exec(text.trim());
    if (!match) {
        throw new Error(`${where}: expected a [link](url), found ${JSON.stringify(text)}`);
    }
    return match[1];
}

/** The rows of the README table whose header is `HEADER`. */
export function readPolicyTable(markdown: string): ReadmeRow[] {
    const lines = markdown.split("\n");
    const start = lines.findIndex((line) => line.trim().startsWith("|") && JSON.stringify(cells(line)) === JSON.stringify(HEADER));
    if (start < 0) {
        throw new Error(`no table with the header | ${HEADER.join(" | ")} |`);
    }
    if (!/^\|(\s*:?-+:?\s*\|)+$/.test(lines[start + 1]?.trim() ?? "")) {
        throw new Error(`line ${start + 2}: the table's delimiter row is missing`);
    }
    const rows: ReadmeRow[] = [];
    for (let i = start + 2; i < lines.length && lines[i].trim().startsWith("|"); i++) {
        const where = `README.md line ${i + 1}`;
        const row = cells(lines[i]);
        if (row.length !== HEADER.length) {
            throw new Error(`${where}: ${row.length} cells, expected ${HEADER.length}`);
        }
        const [name, kind, why, level, config, source] = row;
        rows.push({ line: i + 1, name: codeSpan(name, where), kind, why, level, config: parseConfig(config, where), source: linkTarget(source, where) });
    }
    return rows;
}

const normalized = (text: string) => text.replace(/\s+/g, " ").trim();

describe("policies/README.md", () => {
    const markdown = fs.readFileSync(README, "utf8");
    const rows = readPolicyTable(markdown);
    const byName = new Map(rows.map((row) => [row.name, row]));

    it("lists every policy of policies/policies.ts exactly once, in the pack's order", () => {
        assert.deepEqual(
            rows.map((row) => row.name),
            policies.map((policy) => policy.name),
        );
    });

    for (const policy of policies) {
        describe(policy.name, () => {
            const row = () => {
                const found = byName.get(policy.name);
                assert.ok(found, `${policy.name} has no row in policies/README.md`);
                return found;
            };

            it("has its kind and default level", () => {
                assert.equal(row().kind, "validateStack" in policy ? "stack" : "resource");
                assert.equal(row().level, policy.enforcementLevel ?? "advisory");
            });

            it("describes why first, and in its last line the AWS documentation page its rule comes from", () => {
                const { why, source } = splitDescription(policy.description ?? "");
                assert.ok(source, `the description's last line must be "AWS documentation: https://docs.aws.amazon.com/…"`);
                assert.ok(why.trim().length > 0 && !/https?:\/\//.test(why), "the why comes first, without a link");
            });

            it("says why, in the words of its description", () => {
                assert.equal(normalized(row().why), normalized(splitDescription(policy.description ?? "").why));
            });

            it("links the AWS documentation page of its description", () => {
                assert.equal(row().source, splitDescription(policy.description ?? "").source);
            });

            it("lists each config property with its default", () => {
                const expected: Record<string, unknown> = {};
                for (const [property, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
                    if (property === EXEMPTIONS_PROPERTY) {
                        continue; // every policy's, documented once in its own section
                    }
                    expected[property] = (schema as { default?: unknown }).default;
                }
                assert.deepEqual(row().config, expected);
            });
        });
    }

    it("shows how to run, configure, publish and enable the pack", () => {
        for (const command of [
            "pulumi preview --policy-pack policies --policy-pack-config policies/config.dev.json",
            "pulumi policy publish",
            "pulumi policy enable <org>/event-pipeline-guardrails",
        ]) {
            assert.ok(markdown.includes(command), `README.md does not show ${command}`);
        }
    });

    describe("the table reader", () => {
        const table = (row: string) => `| ${HEADER.join(" | ")} |\n|---|---|---|---|---|---|\n${row}\n`;
        const LINK = "[page](https://docs.aws.amazon.com/x.html)";

        it("reads names, kinds, levels and config defaults", () => {
            const [row] = readPolicyTable(table(`| \`p\` | stack | Why \\| not. | advisory | \`a\` = \`["x"]\`<br>\`b\` = \`3\`<br>\`c\` (no default: unset) | ${LINK} |`));
            assert.deepEqual(
                { ...row, line: 0 },
                { line: 0, name: "p", kind: "stack", why: "Why | not.", level: "advisory", config: { a: ["x"], b: 3, c: undefined }, source: "https://docs.aws.amazon.com/x.html" },
            );
        });

        it("rejects a row it cannot read instead of skipping it", () => {
            assert.throws(() => readPolicyTable(table(`| p | stack | why | mandatory | — | ${LINK} |`)), /code span/);
            assert.throws(() => readPolicyTable(table(`| \`p\` | stack | why | mandatory | a = [] | ${LINK} |`)), /config entry/);
            assert.throws(() => readPolicyTable(table(`| \`p\` | stack | why | mandatory | \`a\` = \`[x]\` | ${LINK} |`)), /not JSON/);
            assert.throws(() => readPolicyTable(table("| `p` | stack | why | mandatory | — | https://docs.aws.amazon.com/x.html |")), /link/);
            assert.throws(() => readPolicyTable(table("| `p` | stack | why | mandatory | — |")), /cells/);
            assert.throws(() => readPolicyTable("no table here"), /no table/);
        });

        it("splits a description into its why and its AWS documentation page", () => {
            assert.deepEqual(splitDescription("Why.\nAWS documentation: https://docs.aws.amazon.com/x.html"), { why: "Why.", source: "https://docs.aws.amazon.com/x.html" });
            assert.deepEqual(splitDescription("Why.\nAWS documentation: https://example.com/x.html"), { why: "Why.\nAWS documentation: https://example.com/x.html" });
            assert.deepEqual(splitDescription("Why only."), { why: "Why only." });
        });
    });
});
