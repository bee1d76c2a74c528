import assert from "node:assert/strict";
import fc from "fast-check";
import { conditionsOn, deniesInsecureTransport, parsePolicyDocument, principalValues, statementCoversAction, wildcardMatches } from "../../../policies/lib/policy-document";
import { UNKNOWN } from "../harness";

/** IAM's glob as a regular expression: a reference for the iterative matcher (test data only). */
function reference(pattern: string, value: string): boolean {
    const source = [...pattern].map((c) => (c === "*" ? "[^]*" : c === "?" ? "[^]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
    return new RegExp(`^${source}$`).test(value);
}

describe("wildcardMatches", () => {
    it("agrees with a regular-expression glob on short patterns and values (fast-check)", () => {
        const pattern = fc.string({ unit: fc.constantFrom("a", "b", "*", "?"), maxLength: 6 });
        const value = fc.string({ unit: fc.constantFrom("a", "b"), maxLength: 6 });
        fc.assert(
            fc.property(pattern, value, (p, v) => {
                assert.equal(wildcardMatches(p, v), reference(p, v), `${JSON.stringify(p)} against ${JSON.stringify(v)}`);
            }),
            { numRuns: 2000 },
        );
    });

    it("anchors at both ends; a star may match nothing, at the end too", () => {
        assert.equal(wildcardMatches("bc", "abc"), false);
        assert.equal(wildcardMatches("ab", "abc"), false);
        assert.equal(wildcardMatches("a*b", "ab"), true);
        assert.equal(wildcardMatches("orders-*", "orders-"), true);
        assert.equal(wildcardMatches("**", ""), true);
        assert.equal(wildcardMatches("?", ""), false);
    });
});

describe("policy documents: the parts the policies rely on", () => {
    const statementOf = (raw: Record<string, unknown>) => parsePolicyDocument({ Statement: [raw] }).statements[0]!;

    it("keeps finite numbers and drops NaN, Infinity and objects from a list of values", () => {
        assert.deepEqual(statementOf({ Action: [Number.NaN, Number.POSITIVE_INFINITY, { a: 1 }, 42, true, "sqs:SendMessage"] }).actions, ["42", "true", "sqs:SendMessage"]);
    });

    it("NotAction covers an action only when none of its patterns matches it", () => {
        const statement = statementOf({ NotAction: ["sqs:Send*", "sqs:Receive*"] });
        assert.equal(statementCoversAction(statement, "sqs:SendMessage"), false);
        assert.equal(statementCoversAction(statement, "sqs:DeleteQueue"), true);
    });

    it("reads NotPrincipal, and a principal of null as none, of another shape as no one", () => {
        assert.deepEqual(statementOf({ NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" } }).notPrincipal, { AWS: ["arn:aws:iam::123456789012:root"] });
        assert.equal(statementOf({ Principal: null }).principal, undefined);
        assert.deepEqual(statementOf({ Principal: "arn:aws:iam::123456789012:root" }).principal, {});
    });

    it("principalValues keeps only the principal type asked for", () => {
        const statement = statementOf({ Principal: { AWS: "arn:aws:iam::123456789012:root", Service: "sns.amazonaws.com" } });
        assert.deepEqual(principalValues(statement, "service"), ["sns.amazonaws.com"]);
    });

    it("conditionsOn keeps only the key asked for", () => {
        const statement = statementOf({ Condition: { Bool: { "aws:SecureTransport": "false", "aws:ViaAWSService": "false" } } });
        assert.deepEqual(conditionsOn(statement, ["Bool"], "aws:securetransport").map((c) => c.key), ["aws:securetransport"]);
    });
});

describe("deniesInsecureTransport: several values of aws:SecureTransport", () => {
    it("holds when any value is false (IAM ORs a key's values)", () => {
        const [statement] = parsePolicyDocument({
            Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": ["true", "false"] } } }],
        }).statements;
        assert.equal(deniesInsecureTransport(statement!), true);
    });
});

describe("policy documents: element names and unknown parts", () => {
    it("reads elements named in any case, the exact name first", () => {
        const lower = parsePolicyDocument({ statement: [{ effect: "Allow", action: "sqs:SendMessage" }] });
        assert.equal(lower.status, "parsed");
        assert.deepEqual(lower.statements.map((s) => [s.effect, s.actions]), [["Allow", ["sqs:SendMessage"]]]);
        const both = parsePolicyDocument({ statement: [{ Effect: "Deny" }], Statement: [{ Effect: "Allow" }] });
        assert.deepEqual(both.statements.map((s) => s.effect), ["Allow"]);
    });

    it("looks for unknown values 32 levels deep, no deeper (a bound on the work)", () => {
        const nested = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { level: nested(levels - 1, leaf) });
        const withUnknownAt = (levels: number) => parsePolicyDocument({ Statement: [{ Effect: "Allow" }], Extra: nested(levels, UNKNOWN) });
        assert.equal(withUnknownAt(32).status, "unknown");
        assert.equal(withUnknownAt(33).status, "parsed");
    });
});
