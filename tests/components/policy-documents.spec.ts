import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyDocument } from "../../components/policy-documents";
import { promiseOf } from "../support/recorded";

describe("components/policy-documents", () => {
    describe("denyInsecureTransport", () => {
        it("denies everyone the action on the resource when aws:SecureTransport is false", () => {
            assert.deepEqual(denyInsecureTransport("sqs:*", "arn:aws:sqs:us-east-1:1:q"), {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: "arn:aws:sqs:us-east-1:1:q",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
        });

        it("uses the action it is given", () => {
            assert.equal(denyInsecureTransport("sns:Publish", "arn:aws:sns:us-east-1:1:t").Action, "sns:Publish");
        });
    });

    describe("policyDocument", () => {
        it("is a 2012-10-17 document with the statements in order, as JSON text", async () => {
            const text = await promiseOf(
                policyDocument([
                    denyInsecureTransport("sqs:*", "arn:aws:sqs:us-east-1:1:q"),
                    { Sid: "Read", Effect: "Allow", Action: ["sqs:ReceiveMessage"], Resource: "arn:aws:sqs:us-east-1:1:q" },
                ]),
            );
            const document = JSON.parse(text) as { Version: string; Statement: { Sid: string }[] };
            assert.equal(document.Version, "2012-10-17");
            assert.deepEqual(document.Statement.map((s) => s.Sid), ["DenyInsecureTransport", "Read"]);
        });

        it("resolves Outputs anywhere in a statement (resources, principals, conditions)", async () => {
            const queueArn = pulumi.output("arn:aws:sqs:us-east-1:1:q");
            const topicArn = pulumi.output("arn:aws:sns:us-east-1:1:t");
            const text = await promiseOf(
                policyDocument([
                    {
                        Sid: "Send",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.output("arn:aws:iam::1:root") },
                        Action: "sqs:SendMessage",
                        Resource: [queueArn],
                        Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
                    },
                ]),
            );
            assert.deepEqual(JSON.parse(text).Statement[0], {
                Sid: "Send",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::1:root" },
                Action: "sqs:SendMessage",
                Resource: ["arn:aws:sqs:us-east-1:1:q"],
                Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:1:t" } },
            });
        });

        it("leaves out optional fields that are not set, rather than writing null", async () => {
            const text = await promiseOf(policyDocument([{ Sid: "Logs", Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }]));
            assert.deepEqual(Object.keys(JSON.parse(text).Statement[0]), ["Sid", "Effect", "Action", "Resource"]);
        });
    });
});
