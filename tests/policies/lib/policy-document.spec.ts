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
