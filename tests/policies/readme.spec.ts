/**
 * policies/README.md's table of policies, parsed, against the list the pack is built from: every
 * policy has exactly one row, in the pack's order, with its kind, its description as the "why",
 * its default level, and each config property with its default.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { EXEMPTIONS_PROPERTY } from "../../policies/lib/exemptions";
import { policies } from "../../policies/policies";

const README = path.resolve(__dirname, "../../policies/README.md");
const HEADER = ["policy", "kind", "why", "default level", "config (default)"];

export interface ReadmeRow {
    line: number;
    name: string;
    kind: string;
    why: string;
    level: string;
    /** property → its default, parsed from the JSON in the cell. */
    config: Record<string, unknown>;
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

/** "—" (none), or `` `property` = `<JSON default>` `` entries separated by `<br>`. */
function parseConfig(cell: string, where: string): Record<string, unknown> {
    if (cell === "—" || cell === "") {
        return {};
    }
    const config: Record<string, unknown> = {};
    for (const entry of cell.split(/<br\s*\/?>/)) {
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
        const [name, kind, why, level, config] = row;
        rows.push({ line: i + 1, name: codeSpan(name, where), kind, why, level, config: parseConfig(config, where) });
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

            it("says why, in the words of its description", () => {
                assert.equal(normalized(row().why), normalized(policy.description));
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
        const table = (row: string) => `| ${HEADER.join(" | ")} |\n|---|---|---|---|---|\n${row}\n`;

        it("reads names, kinds, levels and config defaults", () => {
            const [row] = readPolicyTable(table("| `p` | stack | Why \\| not. | advisory | `a` = `[\"x\"]`<br>`b` = `3` |"));
            assert.deepEqual(
                { ...row, line: 0 },
                { line: 0, name: "p", kind: "stack", why: "Why | not.", level: "advisory", config: { a: ["x"], b: 3 } },
            );
        });

        it("rejects a row it cannot read instead of skipping it", () => {
            assert.throws(() => readPolicyTable(table("| p | stack | why | mandatory | — |")), /code span/);
            assert.throws(() => readPolicyTable(table("| `p` | stack | why | mandatory | a = [] |")), /config entry/);
            assert.throws(() => readPolicyTable(table("| `p` | stack | why | mandatory | `a` = `[x]` |")), /not JSON/);
            assert.throws(() => readPolicyTable(table("| `p` | stack | why | mandatory |")), /cells/);
            assert.throws(() => readPolicyTable("no table here"), /no table/);
        });
    });
});
