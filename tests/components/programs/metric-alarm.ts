import * as pulumi from "@pulumi/pulumi";
import { alarmOnMetric, AlarmOnMetricArgs } from "../../../components/metric-alarm";
import { ALARM_TOPIC_ARN, fixtureArgs, withProvider } from "./fixture";

// alarmOnMetric is a helper, not a component: it needs a parent to hang the alarm under.
class AlarmParent extends pulumi.ComponentResource {
    constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("fixture:test:AlarmParent", name, {}, opts);
        this.registerOutputs({});
    }
}

const parent = new AlarmParent("parent", withProvider());
const alarm = alarmOnMetric(
    "orders-age",
    fixtureArgs<AlarmOnMetricArgs>({
        description: "Oldest message is too old",
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: "orders-queue" },
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 300,
        alarmTopicArn: ALARM_TOPIC_ARN,
    }),
    parent,
);

export const alarmArn = alarm.arn;
