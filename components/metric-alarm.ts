import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlarmOnMetricArgs {
    description: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    statistic: "Maximum" | "Sum" | "Average";
    comparisonOperator: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
    threshold: number;
    periodSeconds?: number;
    evaluationPeriods?: number;
    /** Where the alarm notifies: the alarm topic, both when it fires and when it recovers. */
    alarmTopicArn: pulumi.Input<string>;
}

/**
 * A CloudWatch alarm that notifies the alarm topic. Missing data is not breaching: a queue or a
 * function with no traffic is healthy, not alarming (and not stuck in INSUFFICIENT_DATA).
 */
export function alarmOnMetric(name: string, args: AlarmOnMetricArgs, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            alarmDescription: args.description,
            namespace: args.namespace,
            metricName: args.metricName,
            dimensions: args.dimensions,
            statistic: args.statistic,
            comparisonOperator: args.comparisonOperator,
            threshold: args.threshold,
            period: args.periodSeconds ?? 60,
            evaluationPeriods: args.evaluationPeriods ?? 1,
            treatMissingData: "notBreaching",
            actionsEnabled: true,
            alarmActions: [args.alarmTopicArn],
            okActions: [args.alarmTopicArn],
        },
        { parent },
    );
}
