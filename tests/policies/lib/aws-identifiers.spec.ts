import assert from "node:assert/strict";
import { functionReferenceAlternatives, isSqsArn } from "../../../policies/lib/aws-identifiers";

describe("policies/lib/aws-identifiers", () => {
    it("spells a qualified function ARN as its unqualified ARN and name", () => {
        const arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders-worker";
        assert.deepEqual(functionReferenceAlternatives(`${arn}:live`), [arn, "orders-worker"]);
        assert.deepEqual(functionReferenceAlternatives(arn), [arn, "orders-worker"]);
        assert.deepEqual(functionReferenceAlternatives("orders-consumer"), []);
    });

    describe("isSqsArn", () => {
        it("recognises SQS ARNs in any partition", () => {
            assert.ok(isSqsArn("arn:aws-cn:sqs:cn-north-1:123456789012:q"));
            assert.ok(!isSqsArn("arn:aws:kinesis:eu-west-1:123456789012:stream/s"));
        });

        it("is an SQS ARN of any partition, from its first character", () => {
            assert.equal(isSqsArn("arn:aws-cn:sqs:cn-north-1:123456789012:orders"), true);
            assert.equal(isSqsArn("see arn:aws:sqs:eu-west-1:123456789012:orders"), false);
            assert.equal(isSqsArn("arn:aws:sns:eu-west-1:123456789012:orders"), false);
        });
    });
});
