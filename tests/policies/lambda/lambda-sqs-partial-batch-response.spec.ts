import assert from "node:assert/strict";
import { lambdaSqsPartialBatchResponse as policy } from "../../../policies/lambda/lambda-sqs-partial-batch-response";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import {
    ACCOUNT,
    add,
    assertRan,
    change,
    dependencies,
    flagged,
    inRegion,
    literal,
    MALFORMED_VALUES,
    OTHER_ACCOUNT,
    OTHER_REGION,
    PHYSICAL,
    pipeline,
    queueArn,
    REGION,
} from "../pipeline-fixtures";

async function check(fixtures: FixtureResource[]): Promise<string[]> {
    const violations = await validateStack(policy, fixtures);
    assertRan(violations);
    return flagged(violations);
}

const deployed = () => pipeline("deployed");
const mapping = (changes: Record<string, unknown>, fixtures = deployed()) => change(fixtures, "orders-mapping", changes);
const KINESIS = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks";
const DYNAMODB = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-11-01T00:00:00.000";

describe("lambda-sqs-partial-batch-response", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "lambda-sqs-partial-batch-response");
        assert.match(policy.description, /ReportBatchItemFailures/);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes the deployed pipeline: the mapping reports batch item failures", async () => {
            assert.deepEqual(await check(deployed()), []);
        });

        it("does not apply to stream sources", async () => {
            assert.deepEqual(await check(literal(mapping({ functionResponseTypes: undefined }), "orders-mapping", { eventSourceArn: KINESIS })), []);
            assert.deepEqual(await check(literal(mapping({ functionResponseTypes: [] }), "orders-mapping", { eventSourceArn: DYNAMODB })), []);
        });
    });

    describe("non-compliance", () => {
        it("flags an SQS mapping without functionResponseTypes, on the mapping", async () => {
            const violations = await validateStack(policy, mapping({ functionResponseTypes: undefined }));
            assert.deepEqual(flagged(violations), ["orders-mapping"]);
            assert.match(violations[0].message, /without partial batch responses: set functionResponseTypes: \["ReportBatchItemFailures"\]/);
        });

        it("flags an empty or unrelated list", async () => {
            assert.deepEqual(await check(mapping({ functionResponseTypes: [] })), ["orders-mapping"]);
            assert.deepEqual(await check(mapping({ functionResponseTypes: ["SomethingElse"] })), ["orders-mapping"]);
        });

        it("flags a mapping on an SQS queue of another stack (known by its ARN)", async () => {
            assert.deepEqual(await check(mapping({ eventSourceArn: queueArn("elsewhere"), functionResponseTypes: undefined })), ["orders-mapping"]);
        });
    });

    describe("unknown values during preview", () => {
        it("passes the preview of a new stack", async () => {
            assert.deepEqual(await check(pipeline("preview")), []);
        });

        it("decides by the mapping's dependency on a queue when its source ARN is unknown", async () => {
            assert.deepEqual(await check(mapping({ functionResponseTypes: undefined }, pipeline("preview"))), ["orders-mapping"]);
        });

        it("does not apply when the unknown source depends on a stream, or on nothing", async () => {
            const stream: FixtureResource = { type: "aws:kinesis/stream:Stream", name: "clicks", props: { name: "clicks", arn: UNKNOWN } };
            const onStream = dependencies(add(mapping({ functionResponseTypes: undefined }, pipeline("preview")), stream), "orders-mapping", { eventSourceArn: ["clicks"] });
            assert.deepEqual(await check(onStream), []);
            const onNothing = dependencies(mapping({ functionResponseTypes: undefined }, pipeline("preview")), "orders-mapping", {});
            assert.deepEqual(await check(onNothing), []);
        });

        it("passes unknown response types", async () => {
            assert.deepEqual(await check(mapping({ functionResponseTypes: UNKNOWN })), []);
            assert.deepEqual(await check(mapping({ functionResponseTypes: [UNKNOWN] })), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on functionResponseTypes or eventSourceArn = ${JSON.stringify(value)}`, async () => {
                await check(mapping({ functionResponseTypes: value }));
                await check(mapping({ eventSourceArn: value }));
            });
        }

        it("reads a single string as a one-element list", async () => {
            assert.deepEqual(await check(mapping({ functionResponseTypes: "ReportBatchItemFailures" })), []);
        });
    });
});

describe("lambda-sqs-partial-batch-response: the mapping's source as the program names it, in a first preview and after", () => {
    /** A first preview whose mapping reports no batch item failures: a mapping found to read a queue is flagged. */
    const withoutPartialResponses = () => mapping({ functionResponseTypes: [] }, inRegion(pipeline("preview"), REGION));

    it("reads a literal queue ARN as an SQS source while the queue's own ARN is unknown (first preview), in this stack or another", async () => {
        assert.deepEqual(await check(literal(withoutPartialResponses(), "orders-mapping", { eventSourceArn: queueArn(PHYSICAL.queue) })), ["orders-mapping"]);
        // A queue of another account is an SQS source all the same: its batches come back whole.
        assert.deepEqual(await check(literal(withoutPartialResponses(), "orders-mapping", { eventSourceArn: queueArn(PHYSICAL.queue, REGION, OTHER_ACCOUNT) })), ["orders-mapping"]);
        const deployedWithout = mapping({ functionResponseTypes: [] });
        assert.deepEqual(await check(literal(deployedWithout, "orders-mapping", { eventSourceArn: queueArn(PHYSICAL.queue, REGION, OTHER_ACCOUNT) })), ["orders-mapping"]);
    });

    it("reads the source through the eventSourceArn's dependencies when the literal names no queue here", async () => {
        assert.deepEqual(await check(change(withoutPartialResponses(), "orders-mapping", { eventSourceArn: "orders-queue-from-config" })), ["orders-mapping"]);
    });

    it("does not follow the dependencies of a literal naming a queue in another region, nor take a stream of the queue's name for it", async () => {
        const otherRegion = `https://sqs.${OTHER_REGION}.amazonaws.com/${OTHER_ACCOUNT}/${PHYSICAL.queue}`;
        assert.deepEqual(await check(change(withoutPartialResponses(), "orders-mapping", { eventSourceArn: otherRegion })), []);
        assert.deepEqual(await check(literal(withoutPartialResponses(), "orders-mapping", { eventSourceArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${PHYSICAL.queue}` })), []);
    });
});
