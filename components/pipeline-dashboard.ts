import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DashboardQueue {
    consumer: string;
    queueName: pulumi.Input<string>;
    deadLetterQueueName: pulumi.Input<string>;
}

export interface PipelineDashboardArgs {
    /** The dashboard's name: CloudWatch dashboards have no generated names, so it must be unique per account. */
    dashboardName: string;
    /** The region of its metrics. */
    region: string;
    /** The event topic. */
    topicName: pulumi.Input<string>;
    /** Each consumer's queue and dead-letter queue. */
    queues: DashboardQueue[];
    /** The Lambda consumers. */
    functions: { consumer: string; functionName: pulumi.Input<string> }[];
    /** The ECS consumers. */
    services: { consumer: string; clusterName: pulumi.Input<string>; serviceName: pulumi.Input<string> }[];
}

type Widget = Record<string, unknown>;

/** A CloudWatch dashboard with a widget per queue, dead-letter queue, function and service. */
export class PipelineDashboard extends pulumi.ComponentResource {
    /** The name it was given. */
    public readonly dashboardName: pulumi.Output<string>;
    /** The console link (a stack output). */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: PipelineDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:observability:PipelineDashboard", name, {}, opts);

        const metricWidget = (title: string, metrics: unknown[][]): Widget => ({
            type: "metric",
            width: 12,
            height: 6,
            properties: { title, region: args.region, view: "timeSeries", stat: "Sum", period: 60, metrics },
        });
        const widgets: pulumi.Input<Widget>[] = [
            metricWidget("Events published", [["AWS/SNS", "NumberOfMessagesPublished", "TopicName", args.topicName]]),
        ];
        for (const q of args.queues) {
            widgets.push(
                metricWidget(`${q.consumer}: queue`, [
                    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.queueName, { stat: "Maximum" }],
                    ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q.queueName, { stat: "Maximum", yAxis: "right" }],
                ]),
                metricWidget(`${q.consumer}: dead-letter queue`, [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.deadLetterQueueName, { stat: "Maximum" }]]),
            );
        }
        for (const f of args.functions) {
            widgets.push(
                metricWidget(`${f.consumer}: function`, [
                    ["AWS/Lambda", "Invocations", "FunctionName", f.functionName],
                    ["AWS/Lambda", "Errors", "FunctionName", f.functionName],
                    ["AWS/Lambda", "Throttles", "FunctionName", f.functionName],
                ]),
            );
        }
        for (const s of args.services) {
            widgets.push(
                metricWidget(`${s.consumer}: service`, [
                    ["AWS/ECS", "CPUUtilization", "ClusterName", s.clusterName, "ServiceName", s.serviceName, { stat: "Average" }],
                    ["AWS/ECS", "MemoryUtilization", "ClusterName", s.clusterName, "ServiceName", s.serviceName, { stat: "Average" }],
                ]),
            );
        }

        const dashboard = new aws.cloudwatch.Dashboard(
            name,
            { dashboardName: args.dashboardName, dashboardBody: pulumi.jsonStringify({ widgets }) },
            { parent: this },
        );
        this.dashboardName = dashboard.dashboardName;
        this.url = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards:name=${dashboard.dashboardName}`;
        this.registerOutputs({ dashboardName: this.dashboardName, url: this.url });
    }
}
