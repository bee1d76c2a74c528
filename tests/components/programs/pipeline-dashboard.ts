import { PipelineDashboard, PipelineDashboardArgs } from "../../../components/pipeline-dashboard";
import { fixtureArgs, REGION, withProvider } from "./fixture";

const dashboard = new PipelineDashboard(
    "dashboard",
    fixtureArgs<PipelineDashboardArgs>({
        dashboardName: "event-pipeline-test",
        region: REGION,
        topicName: "events-topic",
        queues: [
            { consumer: "order-audit", queueName: "order-audit-q", deadLetterQueueName: "order-audit-dlq" },
            { consumer: "order-fulfilment", queueName: "order-fulfilment-q", deadLetterQueueName: "order-fulfilment-dlq" },
        ],
        functions: [{ consumer: "order-audit", functionName: "order-audit-fn" }],
        services: [{ consumer: "order-fulfilment", clusterName: "order-fulfilment-cluster", serviceName: "order-fulfilment-svc" }],
    }),
    withProvider(),
);

export const dashboardName = dashboard.dashboardName;
export const url = dashboard.url;
