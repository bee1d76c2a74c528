import assert from "node:assert/strict";
import { cloudwatchAlarmActionsRequired } from "../../../policies/cloudwatch/cloudwatch-alarm-actions-required";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:alerts";

function alarm(change: Record<string, unknown> = {}): Fixture {
    return {
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        props: {
            namespace: "AWS/SQS",
            metricName: "ApproximateAgeOfOldestMessage",
            dimensions: { QueueName: "orders" },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 5,
            threshold: 300,
            comparisonOperator: "GreaterThanThreshold",
            alarmActions: [TOPIC_ARN],
            ...change,
        },
    };
}

describe("cloudwatch-alarm-actions-required", () => {
    it("is named, described and mandatory", () => {
        assert.equal(cloudwatchAlarmActionsRequired.name, "cloudwatch-alarm-actions-required");
        assert.match(cloudwatchAlarmActionsRequired.description, /action/);
        assert.equal(cloudwatchAlarmActionsRequired.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("an alarm with a target passes, with actions enabled or unset", async () => {
            assert.deepEqual(await validateResource(cloudwatchAlarmActionsRequired, alarm()), []);
            assert.deepEqual(await validateResource(cloudwatchAlarmActionsRequired, alarm({ actionsEnabled: true })), []);
        });

        it("other types are not applicable", async () => {
            assert.deepEqual(await validateResource(cloudwatchAlarmActionsRequired, { type: "aws:cloudwatch/logGroup:LogGroup", props: {} }), []);
        });
    });

    describe("noncompliance", () => {
        it("no alarmActions", async () => {
            for (const alarmActions of [undefined, [], [""]]) {
                const violations = await validateResource(cloudwatchAlarmActionsRequired, alarm({ alarmActions }));
                assert.equal(violations.length, 1, JSON.stringify(alarmActions));
                assert.match(violations[0].message, /no alarmActions.*SNS topic/);
            }
        });

        it("actions disabled", async () => {
            const violations = await validateResource(cloudwatchAlarmActionsRequired, alarm({ actionsEnabled: false }));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /actionsEnabled: false/);
        });

        it("only OK or insufficient-data actions", async () => {
            assert.equal((await validateResource(cloudwatchAlarmActionsRequired, alarm({ alarmActions: undefined, okActions: [TOPIC_ARN] }))).length, 1);
        });
    });

    describe("unknown values", () => {
        it("an action target known only after deployment counts, and unknown flags never violate", async () => {
            assert.deepEqual(await validateResource(cloudwatchAlarmActionsRequired, alarm({ alarmActions: [UNKNOWN] })), []);
            assert.deepEqual(await validateResource(cloudwatchAlarmActionsRequired, alarm({ alarmActions: UNKNOWN })), []);
            assert.deepEqual(await validateResource(cloudwatchAlarmActionsRequired, alarm({ actionsEnabled: UNKNOWN })), []);
        });
    });

    describe("malformed values", () => {
        it("wrong types and null never throw", async () => {
            for (const alarmActions of [null, 7, [null, 3], {}]) {
                assert.equal((await validateResource(cloudwatchAlarmActionsRequired, alarm({ alarmActions }))).length, 1, JSON.stringify(alarmActions));
            }
            assert.deepEqual(await validateResource(cloudwatchAlarmActionsRequired, alarm({ actionsEnabled: "maybe" })), []);
        });

        it("a single ARN instead of a list counts", async () => {
            assert.deepEqual(await validateResource(cloudwatchAlarmActionsRequired, alarm({ alarmActions: TOPIC_ARN })), []);
        });
    });
});
