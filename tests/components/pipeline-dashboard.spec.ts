import assert from "node:assert/strict";
import { ProgramRun } from "../../tools/mock-runtime";
import { one, parseJson, runFixture, TYPES } from "../support/recorded";

interface Widget {
    type: string;
    properties: { title: string; region: string; metrics: unknown[][] };
}

describe("components/pipeline-dashboard: PipelineDashboard", () => {
    let run: ProgramRun;
    let widgets: Widget[];

    before(async () => {
        run = await runFixture("pipeline-dashboard");
        widgets = parseJson<{ widgets: Widget[] }>(one(run, TYPES.dashboard).inputs.dashboardBody).widgets;
    });

    const titled = (title: string) => {
        const widget = widgets.find((w) => w.properties.title === title);
        assert.ok(widget, `no widget "${title}"; have ${widgets.map((w) => w.properties.title).join(", ")}`);
        return widget;
    };

    it("has one widget for the topic and one per queue, dead-letter queue, function and service", () => {
        assert.deepEqual(widgets.map((w) => w.properties.title), [
            "Events published",
            "order-audit: queue",
            "order-audit: dead-letter queue",
            "order-fulfilment: queue",
            "order-fulfilment: dead-letter queue",
            "order-audit: function",
            "order-fulfilment: service",
        ]);
        assert.ok(widgets.every((w) => w.type === "metric" && w.properties.region === "us-east-1"));
    });

    it("charts each queue's depth and oldest message age by the queue's name", () => {
        assert.deepEqual(titled("order-audit: queue").properties.metrics.map((m) => m.slice(0, 4)), [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "order-audit-q"],
            ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "order-audit-q"],
        ]);
    });

    it("charts each dead-letter queue's depth by its own name", () => {
        assert.deepEqual(titled("order-fulfilment: dead-letter queue").properties.metrics.map((m) => m.slice(0, 4)), [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "order-fulfilment-dlq"],
        ]);
    });

    it("charts each function's invocations, errors and throttles, and each service's CPU and memory", () => {
        assert.deepEqual(titled("order-audit: function").properties.metrics, [
            ["AWS/Lambda", "Invocations", "FunctionName", "order-audit-fn"],
            ["AWS/Lambda", "Errors", "FunctionName", "order-audit-fn"],
            ["AWS/Lambda", "Throttles", "FunctionName", "order-audit-fn"],
        ]);
        assert.deepEqual(titled("order-fulfilment: service").properties.metrics.map((m) => m.slice(0, 6)), [
            ["AWS/ECS", "CPUUtilization", "ClusterName", "order-fulfilment-cluster", "ServiceName", "order-fulfilment-svc"],
            ["AWS/ECS", "MemoryUtilization", "ClusterName", "order-fulfilment-cluster", "ServiceName", "order-fulfilment-svc"],
        ]);
    });

    it("uses the name it is given (dashboards have no generated names) and exports a console URL to it", () => {
        const dashboard = one(run, TYPES.dashboard, "dashboard");
        assert.equal(dashboard.parent, one(run, TYPES.pipelineDashboard).urn);
        assert.equal(dashboard.inputs.dashboardName, "event-pipeline-test");
        assert.equal(run.outputs.dashboardName, "event-pipeline-test");
        assert.equal(
            run.outputs.url,
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=event-pipeline-test",
        );
    });
});
