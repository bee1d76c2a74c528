import assert from "node:assert/strict";
import { sqsQueueAlarmRequired as policy } from "../../../policies/sqs/sqs-queue-alarm-required";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import {
    add,
    assertRan,
    change,
    dependencies,
    flagged,
    inRegion,
    literal,
    MALFORMED_VALUES,
    OTHER_ACCOUNT,
    OTHER_REGION,
    PHYSICAL,
    pipeline,
    queueArn,
    queueUrl,
    REGION,
    remove,
    removeType,
} from "../pipeline-fixtures";

async function check(fixtures: FixtureResource[]): Promise<string[]> {
    const violations = await validateStack(policy, fixtures);
    assertRan(violations);
    return flagged(violations);
}

describe("sqs-queue-alarm-required", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "sqs-queue-alarm-required");
        assert.match(policy.description, /alarm/i);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes the deployed pipeline: an age alarm on the queue, a messages-visible alarm on its DLQ", async () => {
            assert.deepEqual(await check(pipeline("deployed")), []);
        });

        it("passes an alarm written as metric math (metricQueries)", async () => {
            const fixtures = change(pipeline("deployed"), "orders-queue-age", {
                namespace: undefined,
                metricName: undefined,
                dimensions: undefined,
                metricQueries: [
                    { id: "age", returnData: true, metric: { namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: { QueueName: PHYSICAL.queue }, period: 60, stat: "Maximum" } },
                ],
            });
            assert.deepEqual(await check(fixtures), []);
        });

        it("recognises a dead-letter queue named by an aws:sqs/redrivePolicy:RedrivePolicy", async () => {
            const fixtures = add(change(pipeline("deployed"), "orders-queue", { redrivePolicy: undefined }), {
                type: "aws:sqs/redrivePolicy:RedrivePolicy",
                name: "orders-redrive",
                props: { queueUrl: queueUrl(PHYSICAL.queue), redrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(PHYSICAL.dlq), maxReceiveCount: 5 }) },
            });
            assert.deepEqual(await check(fixtures), []);
        });

        it("does not apply to a stack without queues", async () => {
            assert.deepEqual(await check(removeType(pipeline("deployed"), "aws:sqs/queue:Queue")), []);
        });
    });

    describe("non-compliance", () => {
        it("flags a queue without an alarm on the age of its oldest message", async () => {
            const violations = await validateStack(policy, remove(pipeline("deployed"), "orders-queue-age"));
            assert.deepEqual(flagged(violations), ["orders-queue"]);
            assert.match(violations[0].message, /ApproximateAgeOfOldestMessage/);
            assert.match(violations[0].message, /QueueName/);
        });

        it("flags a dead-letter queue without an alarm on its visible messages", async () => {
            const violations = await validateStack(policy, remove(pipeline("deployed"), "orders-dlq-visible"));
            assert.deepEqual(flagged(violations), ["orders-dlq"]);
            assert.match(violations[0].message, /dead-letter queue.*ApproximateNumberOfMessagesVisible/);
        });

        it("flags a dead-letter queue whose alarm watches the age of messages instead", async () => {
            const fixtures = change(pipeline("deployed"), "orders-dlq-visible", { metricName: "ApproximateAgeOfOldestMessage" });
            assert.deepEqual(await check(fixtures), ["orders-dlq"]);
        });

        it("flags a queue whose alarm watches visible messages instead of age", async () => {
            const fixtures = change(pipeline("deployed"), "orders-queue-age", { metricName: "ApproximateNumberOfMessagesVisible" });
            assert.deepEqual(await check(fixtures), ["orders-queue"]);
        });

        it("flags a queue whose alarm is in another namespace", async () => {
            const fixtures = change(pipeline("deployed"), "orders-queue-age", { namespace: "Custom/Orders" });
            assert.deepEqual(await check(fixtures), ["orders-queue"]);
        });

        it("flags a queue whose alarm names another queue", async () => {
            const fixtures = change(pipeline("deployed"), "orders-queue-age", { dimensions: { QueueName: "someone-elses-queue" } });
            assert.deepEqual(await check(fixtures), ["orders-queue"]);
        });

        it("flags every queue of a stack without alarms", async () => {
            const fixtures = removeType(pipeline("deployed"), "aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.deepEqual((await check(fixtures)).sort(), ["orders-dlq", "orders-queue"]);
        });
    });

    describe("unknown values during preview", () => {
        it("passes the preview of a new stack, relating alarms to queues through propertyDependencies", async () => {
            assert.deepEqual(await check(pipeline("preview")), []);
        });

        it("flags, during preview, a queue whose only alarm (by its dependencies) is the DLQ's", async () => {
            const fixtures = dependencies(remove(pipeline("preview"), "orders-dlq-visible"), "orders-queue-age", { dimensions: ["orders-dlq"] });
            // The age alarm now watches the DLQ, which wants a messages-visible alarm; the queue has none.
            assert.deepEqual((await check(fixtures)).sort(), ["orders-dlq", "orders-queue"]);
        });

        it("counts an alarm with an unknown metric name as possibly the right one", async () => {
            assert.deepEqual(await check(change(pipeline("preview"), "orders-queue-age", { metricName: UNKNOWN })), []);
        });

        it("counts an alarm with an unknown namespace as possibly AWS/SQS", async () => {
            assert.deepEqual(await check(change(pipeline("deployed"), "orders-queue-age", { namespace: UNKNOWN })), []);
        });

        it("counts an alarm whose unknown dimension depends on no queue as possibly any queue's", async () => {
            const fixtures = dependencies(change(pipeline("deployed"), "orders-queue-age", { dimensions: { QueueName: UNKNOWN } }), "orders-queue-age", {});
            assert.deepEqual(await check(fixtures), []);
        });

        it("accepts either alarm while a redrive target is unknown and unresolvable", async () => {
            let fixtures = dependencies(pipeline("preview"), "orders-queue", {});
            // The DLQ may or may not be a dead-letter queue: its age alarm will do as well.
            fixtures = change(fixtures, "orders-dlq-visible", { metricName: "ApproximateAgeOfOldestMessage" });
            assert.deepEqual(await check(fixtures), []);
        });

        it("reads a wholly unknown dimensions map through its dependencies", async () => {
            assert.deepEqual(await check(change(pipeline("preview"), "orders-queue-age", { dimensions: UNKNOWN })), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on dimensions, metricQueries, namespace or redrivePolicy = ${JSON.stringify(value)}`, async () => {
                for (const [name, property] of [
                    ["orders-queue-age", "dimensions"],
                    ["orders-queue-age", "metricQueries"],
                    ["orders-queue-age", "namespace"],
                    ["orders-queue", "redrivePolicy"],
                ] as const) {
                    await check(change(pipeline("deployed"), name, { [property]: value }));
                }
            });
        }

        it("flags the queue when its alarm's dimensions are not a map", async () => {
            assert.deepEqual(await check(change(pipeline("deployed"), "orders-queue-age", { dimensions: "QueueName=orders" })), ["orders-queue"]);
        });
    });
});

describe("sqs-queue-alarm-required: a redrive target unknown during preview", () => {
    it("accepts the DLQ's visible-messages alarm: the queue may be the unknown dead-letter target", async () => {
        // The queue's redrivePolicy is unknown and depends on nothing, so no queue is known to be a DLQ.
        const violations = await validateStack(policy, dependencies(pipeline("preview"), "orders-queue", {}));
        assertRan(violations);
        assert.deepEqual(flagged(violations), []);
    });

    it("still wants an alarm on the queue that has only the other queue's alarm", async () => {
        let fixtures = dependencies(pipeline("preview"), "orders-queue", {});
        fixtures = change(fixtures, "orders-dlq-visible", { metricName: "NumberOfMessagesSent" });
        const violations = await validateStack(policy, fixtures);
        assertRan(violations);
        assert.deepEqual(flagged(violations), ["orders-dlq"]);
    });
});

describe("sqs-queue-alarm-required: metric math unknown during preview", () => {
    const withMetricQueries = (metricQueries: unknown) =>
        dependencies(
            change(pipeline("preview"), "orders-queue-age", { namespace: undefined, metricName: undefined, dimensions: undefined, metricQueries }),
            "orders-queue-age",
            { metricQueries: ["orders-queue"] },
        );

    for (const [title, metricQueries] of [
        ["a wholly unknown metricQueries", UNKNOWN],
        ["an unknown query", [UNKNOWN]],
        ["a query whose metric is unknown", [{ id: "age", returnData: true, metric: UNKNOWN }]],
    ] as const) {
        it(`${title} may be the queue's age alarm (it depends on the queue)`, async () => {
            const violations = await validateStack(policy, withMetricQueries(metricQueries));
            assertRan(violations);
            assert.deepEqual(flagged(violations), []);
        });
    }

    it("an alarm with no metric at all watches nothing", async () => {
        const none = change(pipeline("preview"), "orders-queue-age", { namespace: undefined, metricName: undefined, dimensions: undefined, metricQueries: [] });
        assert.deepEqual(flagged(await validateStack(policy, none)), ["orders-queue"]);
    });
});

describe("sqs-queue-alarm-required: alarms as CloudWatch matches them, in a first preview and after", () => {
    const preview = () => inRegion(pipeline("preview"), REGION);
    const queueName = (fixtures: FixtureResource[], alarm: string, name: unknown) => literal(fixtures, alarm, { dimensions: { QueueName: name } });

    it("counts alarms whose QueueName is the queue's name written as a literal, and the dead-letter queue named by a literal ARN (the issue's first preview)", async () => {
        let fixtures = queueName(queueName(preview(), "orders-queue-age", PHYSICAL.queue), "orders-dlq-visible", PHYSICAL.dlq);
        fixtures = literal(fixtures, "orders-queue", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(PHYSICAL.dlq), maxReceiveCount: 5 }) });
        assert.deepEqual(await check(fixtures), []);
    });

    it("counts an alarm through its dependencies when its literal dimension may still be the queue's name (the name is not known yet)", async () => {
        const unnamed = change(pipeline("preview"), "orders-queue", { name: UNKNOWN });
        assert.deepEqual(await check(change(unnamed, "orders-queue-age", { dimensions: { QueueName: "orders-queue-from-config" } })), []);
    });

    it("does not count it through its dependencies when the queue's known name is another: CloudWatch would match nothing", async () => {
        assert.deepEqual(await check(change(preview(), "orders-queue-age", { dimensions: { QueueName: "orders-queue-from-config" } })), ["orders-queue"]);
        assert.deepEqual(await check(change(pipeline("deployed"), "orders-queue-age", { dimensions: { QueueName: "orders-queue-from-config" } })), ["orders-queue"]);
    });

    it("flags a queue whose only alarm holds its URL or ARN, saying the dimension must be the name", async () => {
        for (const fixtures of [
            queueName(pipeline("deployed"), "orders-queue-age", queueUrl(PHYSICAL.queue)),
            queueName(pipeline("deployed"), "orders-queue-age", queueArn(PHYSICAL.queue)),
            queueName(preview(), "orders-queue-age", queueUrl(PHYSICAL.queue)),
        ]) {
            const violations = await validateStack(policy, fixtures);
            assert.deepEqual(flagged(violations), ["orders-queue"]);
            assert.match(violations[0].message, /alarm 'orders-queue-age' watches nothing: the QueueName dimension must be the queue's name, orders-queue-2a2b2c2, not its URL or ARN/);
        }
    });

    it("does not count an alarm of another region, nor one naming a resource of another type", async () => {
        const otherRegion = inRegion(queueName(preview(), "orders-queue-age", PHYSICAL.queue), OTHER_REGION, ["orders-queue-age"]);
        assert.deepEqual(await check(otherRegion), ["orders-queue"]);
        // The function's name is no queue's: the alarm watches a queue that does not exist.
        assert.deepEqual(await check(queueName(preview(), "orders-queue-age", PHYSICAL.consumer)), ["orders-queue"]);
    });

    it("does not take a dead-letter queue of another account for the stack's own", async () => {
        const fixtures = literal(pipeline("deployed"), "orders-queue", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(PHYSICAL.dlq, REGION, OTHER_ACCOUNT) }) });
        // The stack's dead-letter queue is then an ordinary queue, alarmed on depth but not on age.
        assert.deepEqual(await check(fixtures), ["orders-dlq"]);
    });
});
