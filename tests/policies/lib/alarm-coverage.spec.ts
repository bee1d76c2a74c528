import assert from "node:assert/strict";
import { alarmCoverage, isAlarmed, misdimensionedNote } from "../../../policies/lib/alarm-coverage";
import { AwsType } from "../../../policies/lib/aws-types";
import { StackIndex } from "../../../policies/lib/stack";
import { FixtureResource, serverResources, UNKNOWN } from "../harness";
import { change, dependencies, functionArn, MALFORMED_VALUES, PHYSICAL, pipeline, queueUrl } from "../pipeline-fixtures";

const indexOf = async (fixtures: FixtureResource[]) => StackIndex.of(await serverResources(fixtures));
const urnOfName = (index: StackIndex, name: string) => index.all.find((r) => r.name === name)!.urn;

describe("policies/lib/alarm-coverage", () => {
    it("maps alarms to the resources their dimension names", async () => {
        const index = await indexOf(pipeline("deployed"));
        const coverage = alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", type: AwsType.Queue });
        assert.ok(isAlarmed(coverage, urnOfName(index, "orders-queue"), "ApproximateAgeOfOldestMessage"));
        assert.ok(!isAlarmed(coverage, urnOfName(index, "orders-queue"), "ApproximateNumberOfMessagesVisible"));
        assert.ok(isAlarmed(coverage, urnOfName(index, "orders-dlq"), "ApproximateNumberOfMessagesVisible"));
    });

    it("keeps unknown metric names and unresolvable targets as wildcards", async () => {
        const fixtures = dependencies(change(pipeline("preview"), "orders-queue-age", { metricName: UNKNOWN }), "orders-queue-age", {});
        const index = await indexOf(fixtures);
        const coverage = alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", type: AwsType.Queue });
        assert.ok(isAlarmed(coverage, "urn:anything", "AnyMetric"));
    });

    it("never throws on malformed alarms", async () => {
        for (const value of MALFORMED_VALUES) {
            const index = await indexOf(change(pipeline("deployed"), "orders-queue-age", { dimensions: value, metricQueries: value, namespace: value }));
            alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", type: AwsType.Queue });
        }
    });

    it("records the alarms whose dimension holds the target's URL or ARN instead of its name: they watch nothing", async () => {
        const index = await indexOf(change(pipeline("deployed"), "orders-queue-age", { dimensions: { QueueName: queueUrl(PHYSICAL.queue) } }));
        const coverage = alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", type: AwsType.Queue });
        const queue = index.all.find((r) => r.name === "orders-queue")!;
        assert.ok(!isAlarmed(coverage, queue.urn, "ApproximateAgeOfOldestMessage"));
        assert.deepEqual(coverage.misdimensioned.get(queue.urn), ["orders-queue-age"]);
        assert.equal(
            misdimensionedNote(coverage, queue, "QueueName", "queue", "URL or ARN"),
            " (alarm 'orders-queue-age' watches nothing: the QueueName dimension must be the queue's name, orders-queue-2a2b2c2, not its URL or ARN)",
        );
        assert.equal(misdimensionedNote(coverage, index.all.find((r) => r.name === "orders-dlq")!, "QueueName", "queue", "URL or ARN"), "");
    });

    it("names every alarm that watches nothing", async () => {
        const index = await indexOf(
            change(change(pipeline("deployed"), "orders-queue-age", { dimensions: { QueueName: queueUrl(PHYSICAL.queue) } }), "orders-dlq-visible", {
                dimensions: { QueueName: queueUrl(PHYSICAL.queue) },
            }),
        );
        const coverage = alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", type: AwsType.Queue });
        assert.equal(
            misdimensionedNote(coverage, index.all.find((r) => r.name === "orders-queue")!, "QueueName", "queue", "URL or ARN"),
            " (alarms 'orders-queue-age', 'orders-dlq-visible' watch nothing: the QueueName dimension must be the queue's name, orders-queue-2a2b2c2, not its URL or ARN)",
        );
    });

    it("reads no other dimension than the one CloudWatch names, whatever its key", async () => {
        const index = await indexOf(change(pipeline("deployed"), "orders-queue-age", { dimensions: { undefined: PHYSICAL.queue, Resource: PHYSICAL.queue } }));
        const coverage = alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", type: AwsType.Queue });
        assert.ok(!isAlarmed(coverage, index.all.find((r) => r.name === "orders-queue")!.urn, "ApproximateAgeOfOldestMessage"));
    });

    it("reads a version or alias from the qualified dimension (name:qualifier) when the plain one is absent", async () => {
        const lambda = { namespace: "AWS/Lambda", dimension: "FunctionName", qualifiedDimension: "Resource", type: AwsType.LambdaFunction };
        const withDimensions = async (dimensions: Record<string, unknown>) => {
            const index = await indexOf(change(pipeline("deployed"), "orders-errors", { dimensions }));
            return isAlarmed(alarmCoverage(index, lambda), index.all.find((r) => r.name === "orders-consumer")!.urn, "Errors");
        };
        assert.equal(await withDimensions({ Resource: `${PHYSICAL.consumer}:live` }), true);
        assert.equal(await withDimensions({ FunctionName: "other", Resource: `${PHYSICAL.consumer}:live` }), false);
        assert.equal(await withDimensions({ Resource: `${functionArn(PHYSICAL.consumer)}:live` }), false);
    });
});
