import assert from "node:assert/strict";
import { alarmCoverage, isAlarmed } from "../../../policies/lib/alarm-coverage";
import { AwsType } from "../../../policies/lib/aws-types";
import { StackIndex } from "../../../policies/lib/stack";
import { FixtureResource, serverResources, UNKNOWN } from "../harness";
import { change, dependencies, MALFORMED_VALUES, pipeline } from "../pipeline-fixtures";

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
});
