import assert from "node:assert/strict";
import {
    actionMatches,
    conditionsOn,
    deniesInsecureTransport,
    parsePolicyDocument,
    principalIsEveryone,
    principalValues,
    statementCoversAction,
    statementCoversService,
    wildcardMatches,
} from "../../../policies/lib/policy-document";
import { UNKNOWN } from "../harness";
import { MALFORMED_VALUES } from "../pipeline-fixtures";
import fc from "fast-check";

const TLS_DENY = {
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: "arn:aws:sqs:eu-west-1:123456789012:orders",
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};

describe("policies/lib/policy-document", () => {
    describe("parsePolicyDocument", () => {
        it("reads a JSON string into normalized statements", () => {
            const document = parsePolicyDocument(JSON.stringify({ Version: "2012-10-17", Statement: [TLS_DENY] }));
            assert.equal(document.status, "parsed");
            assert.deepEqual(document.statements, [
                {
                    sid: undefined,
                    effect: "Deny",
                    principal: { AWS: ["*"] },
                    notPrincipal: undefined,
                    actions: ["sqs:*"],
                    notActions: [],
                    resources: ["arn:aws:sqs:eu-west-1:123456789012:orders"],
                    notResources: [],
                    conditions: [{ operator: "Bool", key: "aws:securetransport", values: ["false"] }],
                },
            ]);
        });

        it("reads an object, a single statement, arrays or scalars alike", () => {
            const document = parsePolicyDocument({
                Statement: {
                    Sid: "Send",
                    Effect: "allow",
                    Principal: { Service: ["sns.amazonaws.com"], AWS: "arn:aws:iam::123456789012:root" },
                    Action: ["sqs:SendMessage", "sqs:GetQueueUrl"],
                    NotResource: "arn:aws:sqs:*:*:secret",
                    Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:sns:*:*:a", "arn:aws:sns:*:*:b"] }, NumericLessThan: { "s3:max-keys": 10 } },
                },
            });
            assert.equal(document.status, "parsed");
            const [statement] = document.statements;
            assert.equal(statement.effect, "Allow");
            assert.deepEqual(statement.principal, { Service: ["sns.amazonaws.com"], AWS: ["arn:aws:iam::123456789012:root"] });
            assert.deepEqual(statement.actions, ["sqs:SendMessage", "sqs:GetQueueUrl"]);
            assert.deepEqual(statement.notResources, ["arn:aws:sqs:*:*:secret"]);
            assert.deepEqual(statement.conditions[1], { operator: "NumericLessThan", key: "s3:max-keys", values: ["10"] });
        });

        it("tells absent, unknown and malformed documents apart", () => {
            for (const absent of [undefined, null, "", "  "]) {
                assert.equal(parsePolicyDocument(absent).status, "absent", JSON.stringify(absent));
            }
            assert.equal(parsePolicyDocument(UNKNOWN).status, "unknown");
            assert.equal(parsePolicyDocument({ Statement: [{ ...TLS_DENY, Action: UNKNOWN }] }).status, "unknown");
            for (const malformed of ["{not json", "[1,2]", "null", 42, true, [], {}, { Version: "2012-10-17" }]) {
                assert.equal(parsePolicyDocument(malformed).status, "malformed", JSON.stringify(malformed));
            }
        });

        for (const value of MALFORMED_VALUES) {
            it(`never throws on a document or its parts = ${JSON.stringify(value)}`, () => {
                parsePolicyDocument(value);
                parsePolicyDocument({ Statement: value });
                parsePolicyDocument({ Statement: [value, { Effect: value, Principal: value, Action: value, Resource: value, Condition: value }] });
                parsePolicyDocument({ Statement: [{ Condition: { Bool: value } }] });
            });
        }

        it("drops statements that are not objects and values that are not scalars", () => {
            const document = parsePolicyDocument({ Statement: [null, "x", { Effect: "Maybe", Action: [{}, "sqs:*", 7] }] });
            assert.equal(document.statements.length, 1);
            assert.equal(document.statements[0].effect, undefined);
            assert.deepEqual(document.statements[0].actions, ["sqs:*", "7"]);
        });
    });

    describe("matching", () => {
        it("matches IAM wildcards; actions case-insensitively, ARNs case-sensitively", () => {
            assert.ok(actionMatches("*", "sqs:SendMessage"));
            assert.ok(actionMatches("SQS:send*", "sqs:SendMessage"));
            assert.ok(actionMatches("sqs:?endMessage", "sqs:SendMessage"));
            assert.ok(!actionMatches("sqs:Receive*", "sqs:SendMessage"));
            assert.ok(wildcardMatches("arn:aws:sns:*:123456789012:orders-*", "arn:aws:sns:eu-west-1:123456789012:orders-topic"));
            assert.ok(!wildcardMatches("arn:aws:sns:*:*:Orders", "arn:aws:sns:eu-west-1:1:orders"));
            assert.ok(wildcardMatches("a*b*c", "aXXbYYc") && !wildcardMatches("a*b*c", "aXXbYY"));
        });

        it("stays fast on a hostile pattern", () => {
            const started = Date.now();
            assert.ok(!wildcardMatches("*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(5000)));
            assert.ok(Date.now() - started < 1000);
        });

        it("covers an action through Action or NotAction", () => {
            const [viaAction] = parsePolicyDocument({ Statement: [{ Action: "sqs:*" }] }).statements;
            const [viaNotAction] = parsePolicyDocument({ Statement: [{ NotAction: "sqs:DeleteQueue" }] }).statements;
            const [excluded] = parsePolicyDocument({ Statement: [{ NotAction: "sqs:Send*" }] }).statements;
            assert.ok(statementCoversAction(viaAction, "sqs:SendMessage"));
            assert.ok(statementCoversAction(viaNotAction, "sqs:SendMessage"));
            assert.ok(!statementCoversAction(excluded, "sqs:SendMessage"));
            assert.ok(statementCoversService(viaAction, "SQS") && !statementCoversService(viaNotAction, "sqs"));
        });

        it("reads principals and conditions", () => {
            const [everyone] = parsePolicyDocument({ Statement: [{ Principal: { AWS: ["*"] } }] }).statements;
            const [service] = parsePolicyDocument({ Statement: [{ Principal: { service: "sns.amazonaws.com" }, Condition: { ArnEquals: { "AWS:SourceArn": "x" } } }] }).statements;
            assert.ok(principalIsEveryone(everyone) && !principalIsEveryone(service));
            assert.deepEqual(principalValues(service, "Service"), ["sns.amazonaws.com"]);
            assert.deepEqual(conditionsOn(service, ["arnequals"], "aws:sourcearn").map((c) => c.values), [["x"]]);
            assert.deepEqual(conditionsOn(service, ["ArnLike"], "aws:SourceArn"), []);
        });

        it("recognises a deny of everyone without TLS, and nothing narrower", () => {
            const statement = (overrides: Record<string, unknown>) => parsePolicyDocument({ Statement: [{ ...TLS_DENY, ...overrides }] }).statements[0];
            assert.ok(deniesInsecureTransport(statement({})));
            assert.ok(deniesInsecureTransport(statement({ Condition: { BoolIfExists: { "aws:securetransport": false } } })));
            assert.ok(!deniesInsecureTransport(statement({ Effect: "Allow" })));
            assert.ok(!deniesInsecureTransport(statement({ Principal: { AWS: "arn:aws:iam::1:root" } })));
            assert.ok(!deniesInsecureTransport(statement({ Condition: { Bool: { "aws:SecureTransport": "true" } } })));
            assert.ok(!deniesInsecureTransport(statement({ Condition: { Bool: { "aws:SecureTransport": "false" }, IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } })));
            assert.ok(!deniesInsecureTransport(statement({ Condition: undefined })));
        });
    });
});

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
