import assert from "node:assert/strict";
import { UNKNOWN_SENTINELS } from "../../../tools/analyzer";
import type { ProgramRun } from "../../../tools/mock-runtime";
import { createTimeScale, defaultFactor, describeScale } from "../../../tools/local/time-scale";
import { consumerQueue, deadLetterQueueOf, readTopology, type Topology, TopologyError } from "../../../tools/local/topology";
import { sharedStackRun } from "../../support/stack-runs";

describe("tools/local/topology: the event pipeline read from the recorded program run", () => {
    let dev: ProgramRun;
    let topology: Topology;

    before(async function () {
        this.timeout(60_000);
        dev = await sharedStackRun("dev");
        topology = readTopology(dev.resources);
    });

    it("finds the one event topic (not the alarm topic) with its attributes", () => {
        assert.deepEqual(
            topology.topics.map((t) => [t.name, t.attributes.KmsMasterKeyId]),
            [["events-b54cbf1", "alias/aws/sns"]],
        );
        assert.match(topology.topics[0]!.attributes.Policy!, /aws:SecureTransport/);
    });

    it("reads each queue's attributes, redrive policy and consumer", () => {
        const fulfilment = topology.queues.find((q) => q.logicalName === "order-fulfilment")!;
        assert.equal(fulfilment.component, "order-fulfilment");
        assert.equal(fulfilment.visibilityTimeoutSeconds, 60);
        assert.deepEqual(fulfilment.redrive, { deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:order-fulfilment-dlq-a0a0747", maxReceiveCount: 3 });
        assert.equal(fulfilment.attributes.MessageRetentionPeriod, "345600");
        assert.equal(fulfilment.attributes.ReceiveMessageWaitTimeSeconds, "20");
        assert.equal(deadLetterQueueOf(topology, fulfilment)?.attributes.MessageRetentionPeriod, "1209600");
        assert.match(fulfilment.attributes.Policy!, /sqs:SendMessage/);
    });

    it("reads each SQS subscription's filter policy, scope, raw delivery and redrive policy", () => {
        const subscription = topology.subscriptions.find((s) => s.logicalName === "order-fulfilment-subscription")!;
        assert.deepEqual(subscription.attributes, {
            FilterPolicy: '{"type":["order.created","order.paid"]}',
            FilterPolicyScope: "MessageBody",
            RawMessageDelivery: "true",
            RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:order-fulfilment-dlq-a0a0747"}',
        });
    });

    it("reads the idempotency table's key schema and TTL", () => {
        assert.deepEqual(topology.tables, [
            {
                name: "idempotency-260ca18",
                hashKey: "id",
                rangeKey: undefined,
                attributeDefinitions: [{ name: "id", type: "S" }],
                billingMode: "PAY_PER_REQUEST",
                ttl: { attributeName: "expiration", enabled: true },
                serverSideEncryption: true,
                deletionProtection: false,
            },
        ]);
    });

    it("reads a Lambda consumer from its event source mapping and function, with the function's environment", () => {
        const audit = topology.consumers.find((c) => c.name === "order-audit");
        assert.ok(audit?.kind === "lambda");
        assert.equal(consumerQueue(topology, audit).logicalName, "order-audit");
        assert.equal(audit.codeDir, "dist/functions/consumer");
        assert.equal(audit.handler, "index.handler");
        assert.equal(audit.runtime, "nodejs22.x");
        assert.equal(audit.timeoutSeconds, 30);
        assert.equal(audit.batchSize, 10);
        assert.equal(audit.batchingWindowSeconds, 0);
        assert.equal(audit.reportBatchItemFailures, true);
        assert.equal(audit.environment.CONSUMER_NAME, "order-audit");
        assert.equal(audit.environment.IDEMPOTENCY_TABLE_NAME, "idempotency-260ca18");
    });

    it("reads an ECS consumer from its service, task definition and scaling target, with the container's environment", () => {
        const fulfilment = topology.consumers.find((c) => c.name === "order-fulfilment");
        assert.ok(fulfilment?.kind === "ecs");
        assert.equal(fulfilment.environment.QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/123456789012/order-fulfilment-ae71d12");
        assert.equal(fulfilment.environment.VISIBILITY_TIMEOUT_SECONDS, "60");
        assert.equal(fulfilment.minTasks, 0);
        assert.match(fulfilment.image, /dkr\.ecr/);
    });

    it("refuses a value unknown during preview (a subscription's endpoint before its queue exists)", () => {
        const resources = dev.resources.map((r) =>
            r.name === "order-audit-subscription" ? { ...r, inputs: { ...r.inputs, endpoint: UNKNOWN_SENTINELS.string } } : r,
        );
        assert.throws(
            () => readTopology(resources),
            (e: unknown) => e instanceof TopologyError && /order-audit-subscription: endpoint is unknown: a local run needs the program run in update mode/.test((e as Error).message),
        );
    });

    it("scales every duration by one factor: the shortest consumer visibility timeout becomes 1 s", () => {
        assert.equal(defaultFactor(topology), 60);
        const scale = createTimeScale(60);
        assert.deepEqual(scale.wholeSeconds("lambda queue", 180), { what: "lambda queue", programSeconds: 180, localSeconds: 3, exact: true });
        assert.deepEqual(scale.wholeSeconds("stop", 55), { what: "stop", programSeconds: 55, localSeconds: 1, exact: false });
        assert.equal(scale.milliseconds("timeout", 30).localSeconds, 0.5);
        assert.match(describeScale(scale).join("\n"), /stop: 55 s → 1 s \(rounded up[^\n]*\n {2}timeout: 30 s → 500 ms$/);
        assert.throws(() => createTimeScale(0.5), RangeError);
    });
});
