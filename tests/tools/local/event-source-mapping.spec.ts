import assert from "node:assert/strict";
import { failedMessageIds, sqsRecord } from "../../../tools/local/event-source-mapping";

const batch = ["m-1", "m-2", "m-3"].map((id) => sqsRecord({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: "{}" }, "arn:aws:sqs:eu-west-1:000000000000:q", "eu-west-1"));

describe("tools/local/event-source-mapping: reading a partial batch response as Lambda does", () => {
    it("keeps only the listed records on the queue", () => {
        assert.deepEqual(failedMessageIds({ batchItemFailures: [{ itemIdentifier: "m-2" }] }, batch), { failed: new Set(["m-2"]) });
    });

    it("deletes everything after an empty or absent response", () => {
        for (const response of [null, undefined, {}, { batchItemFailures: [] }]) {
            assert.deepEqual(failedMessageIds(response, batch), { failed: new Set() }, JSON.stringify(response));
        }
    });

    it("fails the whole batch on a malformed response or an identifier not in the batch", () => {
        for (const response of [{ batchItemFailures: "m-1" }, { batchItemFailures: [{ itemIdentifier: "m-9" }] }, { batchItemFailures: [{ itemIdentifier: "" }] }, { batchItemFailures: [null] }]) {
            const read = failedMessageIds(response, batch);
            assert.deepEqual(read.failed, new Set(["m-1", "m-2", "m-3"]), JSON.stringify(response));
            assert.ok(read.malformed, JSON.stringify(response));
        }
    });

    it("builds SQS event records as Lambda delivers them", () => {
        const record = sqsRecord(
            {
                MessageId: "m-1",
                ReceiptHandle: "rh",
                Body: "body",
                MD5OfBody: "md5",
                Attributes: { ApproximateReceiveCount: "2", SentTimestamp: "1700000000000", SenderId: "S", ApproximateFirstReceiveTimestamp: "1700000000001" },
                MessageAttributes: { type: { DataType: "String", StringValue: "order.created" } },
            },
            "arn:aws:sqs:eu-west-1:000000000000:q",
            "eu-west-1",
        );
        assert.deepEqual(record, {
            messageId: "m-1",
            receiptHandle: "rh",
            body: "body",
            attributes: { ApproximateReceiveCount: "2", SentTimestamp: "1700000000000", SenderId: "S", ApproximateFirstReceiveTimestamp: "1700000000001" },
            messageAttributes: { type: { dataType: "String", stringValue: "order.created", stringListValues: [], binaryListValues: [] } },
            md5OfBody: "md5",
            eventSource: "aws:sqs",
            eventSourceARN: "arn:aws:sqs:eu-west-1:000000000000:q",
            awsRegion: "eu-west-1",
        });
    });
});
