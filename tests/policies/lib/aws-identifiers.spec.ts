import assert from "node:assert/strict";
import { isSqsArn, namedResource, sameLocation } from "../../../policies/lib/aws-identifiers";
import { AwsType } from "../../../policies/lib/aws-types";

describe("policies/lib/aws-identifiers", () => {
    describe("namedResource: the queue, topic or function an identifier names", () => {
        it("reads an SQS queue ARN, in any partition", () => {
            assert.deepEqual(namedResource("arn:aws:sqs:eu-west-1:123456789012:billing-dlq"), {
                type: AwsType.Queue, name: "billing-dlq", partition: "aws", region: "eu-west-1", account: "123456789012",
            });
            assert.deepEqual(namedResource("arn:aws-cn:sqs:cn-north-1:123456789012:orders.fifo"), {
                type: AwsType.Queue, name: "orders.fifo", partition: "aws-cn", region: "cn-north-1", account: "123456789012",
            });
        });

        it("reads an SQS queue URL, its legacy form and China's", () => {
            const expected = { type: AwsType.Queue, name: "billing", region: "us-east-1", account: "123456789012" };
            assert.deepEqual(namedResource("https://sqs.us-east-1.amazonaws.com/123456789012/billing"), expected);
            assert.deepEqual(namedResource("https://us-east-1.queue.amazonaws.com/123456789012/billing"), expected);
            assert.deepEqual(namedResource("http://sqs.us-east-1.amazonaws.com/123456789012/billing"), expected);
            assert.deepEqual(namedResource("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/billing"), { ...expected, region: "cn-north-1" });
        });

        it("reads an SNS topic ARN, but not a subscription's", () => {
            assert.deepEqual(namedResource("arn:aws:sns:eu-west-1:123456789012:events"), {
                type: AwsType.Topic, name: "events", partition: "aws", region: "eu-west-1", account: "123456789012",
            });
            assert.equal(namedResource("arn:aws:sns:eu-west-1:123456789012:events:5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"), undefined);
        });

        it("reads a Lambda function ARN, qualified with a version or an alias or not, a partial ARN and a bare name", () => {
            const location = { partition: "aws", region: "eu-west-1", account: "123456789012" };
            const arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders-worker";
            assert.deepEqual(namedResource(arn), { type: AwsType.LambdaFunction, name: "orders-worker", qualifier: undefined, ...location });
            assert.deepEqual(namedResource(`${arn}:live`), { type: AwsType.LambdaFunction, name: "orders-worker", qualifier: "live", ...location });
            assert.deepEqual(namedResource(`${arn}:7`), { type: AwsType.LambdaFunction, name: "orders-worker", qualifier: "7", ...location });
            assert.deepEqual(namedResource("123456789012:function:orders-worker"), { type: AwsType.LambdaFunction, name: "orders-worker", qualifier: undefined, account: "123456789012" });
            assert.deepEqual(namedResource("123456789012:function:orders-worker:live"), { type: AwsType.LambdaFunction, name: "orders-worker", qualifier: "live", account: "123456789012" });
            assert.deepEqual(namedResource("orders_worker-2"), { type: AwsType.LambdaFunction, name: "orders_worker-2" });
        });

        it("leaves a region or an account left empty in an ARN unknown", () => {
            assert.deepEqual(namedResource("arn:aws:sqs:::billing"), { type: AwsType.Queue, name: "billing", partition: "aws", region: undefined, account: undefined });
        });

        it("names nothing of other services, nor what is not an identifier", () => {
            for (const value of [
                "arn:aws:kinesis:eu-west-1:123456789012:stream/clickstream",
                "arn:aws:lambda:eu-west-1:123456789012:layer:shared:3",
                "arn:aws:sqs:eu-west-1:123456789012:a:b",
                "arn:aws:lambda:eu-west-1:123456789012:layer:function:3",
                "arn:aws:lambda:eu-west-1:123456789012:function:orders:live:extra",
                "arn:aws:states:eu-west-1:123456789012:function:orders",
                "https://example.com/123456789012/billing",
                "https://sqs.us-east-1.amazonaws.com/123456789012/billing/extra",
                "not a name",
                "",
            ]) {
                assert.equal(namedResource(value), undefined, value);
            }
        });
    });

    describe("sameLocation", () => {
        it("agrees where every part known on both sides is equal", () => {
            assert.ok(sameLocation({ region: "eu-west-1", account: "1" }, { region: "eu-west-1" }));
            assert.ok(sameLocation({}, { partition: "aws", region: "eu-west-1", account: "1" }));
            assert.ok(!sameLocation({ region: "eu-west-1" }, { region: "us-east-1" }));
            assert.ok(!sameLocation({ account: "1" }, { account: "2" }));
            assert.ok(!sameLocation({ partition: "aws" }, { partition: "aws-cn" }));
        });
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
