import assert from "node:assert/strict";
import { ProgramRun } from "../../tools/mock-runtime";
import { one, runFixture, TYPES } from "../support/recorded";
import { ALARM_TOPIC_ARN } from "./programs/fixture";

describe("components/metric-alarm: alarmOnMetric", () => {
    let run: ProgramRun;
    let tuned: ProgramRun;

    before(async () => {
        run = await runFixture("metric-alarm");
        tuned = await runFixture("metric-alarm", {
            namespace: "AWS/ECS",
            metricName: "CPUUtilization",
            dimensions: { ClusterName: "c", ServiceName: "s" },
            statistic: "Average",
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 80,
            periodSeconds: 300,
            evaluationPeriods: 3,
        });
    });

    it("alarms on the metric, dimensions, statistic and threshold it is given", () => {
        const alarm = one(run, TYPES.alarm, "orders-age").inputs;
        assert.deepEqual(
            [alarm.namespace, alarm.metricName, alarm.dimensions, alarm.statistic, alarm.comparisonOperator, alarm.threshold],
            ["AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: "orders-queue" }, "Maximum", "GreaterThanThreshold", 300],
        );
        assert.equal(alarm.alarmDescription, "Oldest message is too old");
        const other = one(tuned, TYPES.alarm).inputs;
        assert.deepEqual(
            [other.namespace, other.metricName, other.dimensions, other.statistic, other.comparisonOperator, other.threshold],
            ["AWS/ECS", "CPUUtilization", { ClusterName: "c", ServiceName: "s" }, "Average", "GreaterThanOrEqualToThreshold", 80],
        );
    });

    it("notifies the alarm topic when it fires and when it recovers", () => {
        const alarm = one(run, TYPES.alarm).inputs;
        assert.equal(alarm.actionsEnabled, true);
        assert.deepEqual(alarm.alarmActions, [ALARM_TOPIC_ARN]);
        assert.deepEqual(alarm.okActions, [ALARM_TOPIC_ARN]);
    });

    it("evaluates one 60-second period by default, and the period and count it is given", () => {
        assert.deepEqual([one(run, TYPES.alarm).inputs.period, one(run, TYPES.alarm).inputs.evaluationPeriods], [60, 1]);
        assert.deepEqual([one(tuned, TYPES.alarm).inputs.period, one(tuned, TYPES.alarm).inputs.evaluationPeriods], [300, 3]);
    });

    it("treats missing data as not breaching: an idle queue or function is healthy", () => {
        assert.equal(one(run, TYPES.alarm).inputs.treatMissingData, "notBreaching");
    });

    it("hangs the alarm under the parent it is given, with the parent's provider", () => {
        const parent = one(run, "fixture:test:AlarmParent", "parent");
        const alarm = one(run, TYPES.alarm);
        assert.equal(alarm.parent, parent.urn);
        assert.equal(alarm.provider, one(run, TYPES.provider).urn);
    });
});
