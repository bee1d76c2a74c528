/**
 * The stack's architecture as a Mermaid flowchart, derived from the recorded graph itself (property
 * dependencies), not from the config: what is drawn is what the program registers.
 */
import type { RecordedResource } from "../mock-runtime";

const TOPIC = "aws:sns/topic:Topic";
const QUEUE = "aws:sqs/queue:Queue";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
const FUNCTION = "aws:lambda/function:Function";
const SERVICE = "aws:ecs/service:Service";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

export function mermaidDiagram(resources: RecordedResource[]): string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const ids = new Map<string, string>();
    const idOf = (r: RecordedResource) => {
        let id = ids.get(r.urn);
        if (id === undefined) {
            id = `n${ids.size}`;
            ids.set(r.urn, id);
        }
        return id;
    };
    const depsOf = (r: RecordedResource, property: string, type: string) =>
        (r.propertyDependencies[property] ?? []).map((urn) => byUrn.get(urn)).filter((d): d is RecordedResource => d?.type === type);

    const nodes: string[] = [];
    const edges: string[] = [];
    const node = (r: RecordedResource, shape: (label: string) => string) => {
        const line = `    ${idOf(r)}${shape(r.name)}`;
        if (!nodes.includes(line)) {
            nodes.push(line);
        }
        return idOf(r);
    };
    const topicShape = (label: string) => `{{"SNS ${label}"}}`;
    const queueShape = (label: string) => `[/"SQS ${label}"/]`;

    // Alarm topic: the topic every alarm's actions point at.
    const alarmTopics = new Set<string>();
    for (const alarm of resources.filter((r) => r.type === ALARM)) {
        for (const topic of depsOf(alarm, "alarmActions", TOPIC)) {
            alarmTopics.add(topic.urn);
        }
    }
    for (const subscription of resources.filter((r) => r.type === SUBSCRIPTION)) {
        for (const topic of depsOf(subscription, "topic", TOPIC)) {
            for (const queue of depsOf(subscription, "endpoint", QUEUE)) {
                edges.push(`    ${node(topic, topicShape)} -->|subscription| ${node(queue, queueShape)}`);
            }
        }
    }
    for (const queue of resources.filter((r) => r.type === QUEUE)) {
        for (const dlq of depsOf(queue, "redrivePolicy", QUEUE)) {
            edges.push(`    ${node(queue, queueShape)} -.->|redrive| ${node(dlq, (l) => `[/"DLQ ${l}"/]`)}`);
        }
    }
    for (const mapping of resources.filter((r) => r.type === MAPPING)) {
        for (const queue of depsOf(mapping, "eventSourceArn", QUEUE)) {
            for (const fn of depsOf(mapping, "functionName", FUNCTION)) {
                edges.push(`    ${node(queue, queueShape)} --> ${node(fn, (l) => `("λ ${l}")`)}`);
            }
        }
    }
    for (const service of resources.filter((r) => r.type === SERVICE)) {
        for (const taskDefinition of depsOf(service, "taskDefinition", TASK_DEFINITION)) {
            for (const queue of depsOf(taskDefinition, "containerDefinitions", QUEUE)) {
                edges.push(`    ${node(queue, queueShape)} --> ${node(service, (l) => `("ECS ${l}")`)}`);
            }
        }
    }
    for (const alarm of resources.filter((r) => r.type === ALARM)) {
        const watched = [...depsOf(alarm, "dimensions", QUEUE), ...depsOf(alarm, "dimensions", FUNCTION), ...depsOf(alarm, "dimensions", SERVICE)];
        const notifies = depsOf(alarm, "alarmActions", TOPIC);
        if (watched.length === 0 || notifies.length === 0) {
            continue; // scaling alarms act on scaling policies, not people
        }
        const alarmId = node(alarm, (l) => `>"⏰ ${l}"]`);
        for (const w of watched) {
            edges.push(`    ${idOf(w)} -.- ${alarmId}`);
        }
        for (const t of notifies) {
            edges.push(`    ${alarmId} --> ${node(t, topicShape)}`);
        }
    }
    const classes = [...alarmTopics].filter((urn) => ids.has(urn)).map((urn) => `    class ${ids.get(urn)} alarmTopic`);
    return ["flowchart LR", ...nodes, ...[...new Set(edges)], "    classDef alarmTopic fill:#fde2e1,stroke:#c0392b", ...classes].join("\n");
}
