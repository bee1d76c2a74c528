/**
 * getPolicyDocument rendered as the AWS provider renders it (its aws_iam_policy_document data
 * source): the expected documents below are written out by hand from the provider's rules.
 */
import assert from "node:assert/strict";
import { PolicyDocumentError, renderPolicyDocument } from "../../tools/iam-policy-document";

const parse = (args: Parameters<typeof renderPolicyDocument>[0]) => JSON.parse(renderPolicyDocument(args).json) as unknown;

describe("tools/iam-policy-document: getPolicyDocument rendered offline", () => {
    it("renders a statement with the provider's defaults: Version, empty Sid, Effect Allow; one action is a string", () => {
        assert.deepEqual(parse({ statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] }), {
            Version: "2012-10-17",
            Statement: [{ Sid: "", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
        });
    });

    it("writes lists of more than one value de-duplicated and in reverse order, as the provider's sets", () => {
        const document = parse({
            statements: [{ sid: "Read", actions: ["s3:GetObject", "s3:ListBucket", "s3:GetObject"], notResources: ["arn:aws:s3:::a", "arn:aws:s3:::c", "arn:aws:s3:::b"] }],
        });
        assert.deepEqual(document, {
            Version: "2012-10-17",
            Statement: [{ Sid: "Read", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetObject"], NotResource: ["arn:aws:s3:::c", "arn:aws:s3:::b", "arn:aws:s3:::a"] }],
        });
    });

    it("renders principals by type (keys sorted), the lone * principal as \"*\", and NotAction/NotPrincipal", () => {
        const document = parse({
            version: "2012-10-17",
            policyId: "queue-policy",
            statements: [
                {
                    sid: "Sns",
                    effect: "Allow",
                    actions: ["sqs:SendMessage"],
                    resources: ["*"],
                    principals: [
                        { type: "Service", identifiers: ["sns.amazonaws.com"] },
                        { type: "AWS", identifiers: ["arn:aws:iam::1:root", "arn:aws:iam::2:root"] },
                    ],
                },
                { sid: "Anyone", effect: "Deny", notActions: ["sqs:GetQueueUrl"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] },
                { sid: "NotMe", effect: "Deny", actions: ["sqs:*"], resources: ["*"], notPrincipals: [{ type: "AWS", identifiers: ["arn:aws:iam::1:root"] }] },
            ],
        });
        assert.deepEqual(document, {
            Version: "2012-10-17",
            Id: "queue-policy",
            Statement: [
                { Sid: "Sns", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", Principal: { AWS: ["arn:aws:iam::2:root", "arn:aws:iam::1:root"], Service: "sns.amazonaws.com" } },
                { Sid: "Anyone", Effect: "Deny", NotAction: "sqs:GetQueueUrl", Resource: "*", Principal: "*" },
                { Sid: "NotMe", Effect: "Deny", Action: "sqs:*", Resource: "*", NotPrincipal: { AWS: "arn:aws:iam::1:root" } },
            ],
        });
        assert.deepEqual(Object.keys((document as { Statement: Record<string, unknown>[] }).Statement[0].Principal as object), ["AWS", "Service"]);
    });

    it("renders conditions as test → variable → values, one value as a string, several in their order", () => {
        const document = parse({
            statements: [
                {
                    actions: ["sqs:SendMessage"],
                    resources: ["*"],
                    conditions: [
                        { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
                        { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:sns:*:*:b", "arn:aws:sns:*:*:a"] },
                        { test: "Bool", variable: "aws:SecureTransport", values: ["false"] },
                    ],
                },
            ],
        }) as { Statement: { Condition: Record<string, Record<string, unknown>> }[] };
        assert.deepEqual(document.Statement[0].Condition, {
            ArnLike: { "aws:SourceArn": ["arn:aws:sns:*:*:b", "arn:aws:sns:*:*:a"] },
            Bool: { "aws:SecureTransport": "false" },
            StringEquals: { "aws:SourceAccount": "123456789012" },
        });
        assert.deepEqual(Object.keys(document.Statement[0].Condition), ["ArnLike", "Bool", "StringEquals"]);
    });

    it("turns &{…} into a policy variable ${…} in resources (not in actions), and refuses it in version 2008-10-17", () => {
        const document = parse({ statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::home/&{aws:username}/*"] }] }) as { Statement: { Resource: string }[] };
        assert.equal(document.Statement[0].Resource, "arn:aws:s3:::home/${aws:username}/*");
        assert.throws(() => renderPolicyDocument({ version: "2008-10-17", statements: [{ resources: ["&{aws:username}"] }] }), PolicyDocumentError);
    });

    it("merges source documents first, then the statements, then override documents, replacing statements with the same Sid", () => {
        const source = JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Keep", Effect: "Allow", Action: ["b:B", "a:A"], Resource: "*", Condition: { StringEquals: { "aws:x": "1" } } },
                { Sid: "Replace", Effect: "Allow", Action: "s3:*", Resource: "*" },
            ],
        });
        const override = JSON.stringify({ Statement: [{ Sid: "Late", Effect: "Deny", Action: "iam:*", Resource: "*", Principal: "*" }] });
        const document = parse({
            sourcePolicyDocuments: [source],
            overridePolicyDocuments: [override],
            statements: [{ sid: "Replace", actions: ["s3:GetObject"], resources: ["*"] }],
        });
        assert.deepEqual(document, {
            Version: "2012-10-17",
            Statement: [
                // Read back from JSON, a list keeps its order and a single condition value becomes a list.
                { Sid: "Keep", Effect: "Allow", Action: ["b:B", "a:A"], Resource: "*", Condition: { StringEquals: { "aws:x": ["1"] } } },
                { Sid: "Replace", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
                { Sid: "Late", Effect: "Deny", Action: "iam:*", Resource: "*", Principal: "*" },
            ],
        });
    });

    it("json is indented by two spaces, minifiedJson is not, both escape <, > and & as Go does; the id is stable", () => {
        const rendered = renderPolicyDocument({ statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::a&b<c>"] }] });
        assert.equal(
            rendered.json,
            '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "",\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      "Resource": "arn:aws:s3:::a\\u0026b\\u003cc\\u003e"\n    }\n  ]\n}',
        );
        assert.equal(rendered.minifiedJson, '{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a\\u0026b\\u003cc\\u003e"}]}');
        assert.match(rendered.id, /^\d+$/);
        assert.equal(renderPolicyDocument({ statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::a&b<c>"] }] }).id, rendered.id);
    });

    it("fails where the provider fails: a bad Sid, a duplicate Sid, an unknown effect or version, a source that is not JSON", () => {
        assert.throws(() => renderPolicyDocument({ statements: [{ sid: "not ok" }] }), /sid "not ok" must only include alphanumeric characters/);
        assert.throws(() => renderPolicyDocument({ statements: [{ sid: "A" }, { sid: "A" }] }), /duplicate Sid \(A\)/);
        assert.throws(() => renderPolicyDocument({ statements: [{ effect: "Maybe" }] }), /effect "Maybe" must be Allow or Deny/);
        assert.throws(() => renderPolicyDocument({ version: "2024-01-01" }), /version "2024-01-01"/);
        assert.throws(() => renderPolicyDocument({ sourcePolicyDocuments: ["{nope"] }), /source document 0 is not JSON/);
    });

    it("a document with no statement at all has Statement null, as Go writes a nil list", () => {
        assert.deepEqual(parse({}), { Version: "2012-10-17", Statement: null });
    });
});
