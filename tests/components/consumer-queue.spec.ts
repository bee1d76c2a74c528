import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
    ConsumerQueue,
    ConsumerQueueArgs,
    DEAD_LETTER_RETENTION_SECONDS,
    filterKeyProblems,
    likelyCloudEventAttribute,
    MAX_MESSAGE_AGE_SECONDS,
    QUEUE_RETENTION_SECONDS,
} from "../../components/consumer-queue";
import { ProgramRun, RecordedResource } from "../../tools/mock-runtime";
import { assertRunError, childrenOf, ofType, one, parseJson, promiseOf, runFixture, statementsOf, TYPES } from "../support/recorded";
import { ALARM_TOPIC_ARN, EVENT_TOPIC_ARN } from "./programs/fixture";

const VALID: ConsumerQueueArgs = {
    topicArn: EVENT_TOPIC_ARN,
    filterPolicyScope: "MessageBody",
    maxReceiveCount: 5,
    maxMessageAgeSeconds: 300,
    visibilityTimeoutSeconds: 180,
    alarmTopicArn: ALARM_TOPIC_ARN,
    protect: false,
};

describe("components/consumer-queue: ConsumerQueue", () => {
    let run: ProgramRun;
    let filtered: ProgramRun;
    let queue: RecordedResource;
    let deadLetterQueue: RecordedResource;

    before(async () => {
        run = await runFixture("consumer-queue");
        filtered = await runFixture("consumer-queue", {
            filterPolicy: { type: ["order.created"] },
            filterPolicyScope: "MessageAttributes",
            maxReceiveCount: 3,
            maxMessageAgeSeconds: 900,
            visibilityTimeoutSeconds: 360,
            protect: true,
        });
        queue = one(run, TYPES.queue, "orders");
        deadLetterQueue = one(run, TYPES.queue, "orders-dlq");
    });

    it("creates exactly two queues, the queue and its dead-letter queue, under the component", () => {
        const component = one(run, TYPES.consumerQueue, "orders");
        assert.deepEqual(childrenOf(run, component, TYPES.queue).map((q) => q.name).sort(), ["orders", "orders-dlq"]);
        assert.equal(ofType(run, TYPES.queue).length, 2);
    });

    it("encrypts both queues with SQS-managed keys (SNS cannot deliver to queues under aws/sqs)", () => {
        for (const q of [queue, deadLetterQueue]) {
            assert.equal(q.inputs.sqsManagedSseEnabled, true, q.name);
            assert.equal(q.inputs.kmsMasterKeyId, undefined, q.name);
        }
    });

    it("redrives to its own dead-letter queue after maxReceiveCount receives", () => {
        assert.deepEqual(parseJson(queue.inputs.redrivePolicy), { deadLetterTargetArn: deadLetterQueue.outputs.arn, maxReceiveCount: 5 });
        const other = one(filtered, TYPES.queue, "orders");
        assert.equal(parseJson<{ maxReceiveCount: number }>(other.inputs.redrivePolicy).maxReceiveCount, 3);
        assert.equal(deadLetterQueue.inputs.redrivePolicy, undefined);
    });

    it("sets the visibility timeout it is given, long polling, and keeps dead letters 14 days", () => {
        assert.equal(queue.inputs.visibilityTimeoutSeconds, 180);
        assert.equal(one(filtered, TYPES.queue, "orders").inputs.visibilityTimeoutSeconds, 360);
        assert.equal(queue.inputs.receiveWaitTimeSeconds, 20);
        assert.equal(deadLetterQueue.inputs.messageRetentionSeconds, DEAD_LETTER_RETENTION_SECONDS);
        assert.ok(Number(deadLetterQueue.inputs.messageRetentionSeconds) > Number(queue.inputs.messageRetentionSeconds));
    });

    it("gives each queue a policy that denies non-TLS access and lets only the event topic send", () => {
        for (const [policyName, target] of [["orders-policy", queue], ["orders-dlq-policy", deadLetterQueue]] as const) {
            const policy = one(run, TYPES.queuePolicy, policyName);
            assert.equal(policy.inputs.queueUrl, target.outputs.url);
            assert.deepEqual(statementsOf(policy.inputs.policy), [
                { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: target.outputs.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
                {
                    Sid: "EventTopicSends",
                    Effect: "Allow",
                    Principal: { Service: "sns.amazonaws.com" },
                    Action: "sqs:SendMessage",
                    Resource: target.outputs.arn,
                    Condition: { ArnEquals: { "aws:SourceArn": EVENT_TOPIC_ARN } },
                },
            ]);
        }
    });

    it("subscribes the queue to the topic with raw delivery, no filter by default, and a redrive to its dead-letter queue", () => {
        const subscription = one(run, TYPES.subscription, "orders-subscription");
        assert.equal(subscription.inputs.topic, EVENT_TOPIC_ARN);
        assert.equal(subscription.inputs.protocol, "sqs");
        assert.equal(subscription.inputs.endpoint, queue.outputs.arn);
        assert.equal(subscription.inputs.rawMessageDelivery, true);
        assert.equal(subscription.inputs.filterPolicy, undefined);
        assert.equal(subscription.inputs.filterPolicyScope, undefined);
        assert.deepEqual(parseJson(subscription.inputs.redrivePolicy), { deadLetterTargetArn: deadLetterQueue.outputs.arn });
    });

    it("passes the consumer's filter policy (as JSON) and its scope to the subscription", () => {
        const subscription = one(filtered, TYPES.subscription, "orders-subscription");
        assert.deepEqual(parseJson(subscription.inputs.filterPolicy), { type: ["order.created"] });
        assert.equal(subscription.inputs.filterPolicyScope, "MessageAttributes");
    });

    it("alarms when the oldest message is older than the threshold, to the alarm topic", () => {
        const alarm = one(run, TYPES.alarm, "orders-age");
        assert.equal(alarm.inputs.namespace, "AWS/SQS");
        assert.equal(alarm.inputs.metricName, "ApproximateAgeOfOldestMessage");
        assert.deepEqual(alarm.inputs.dimensions, { QueueName: queue.inputs.name });
        assert.equal(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(alarm.inputs.threshold, 300);
        assert.equal(one(filtered, TYPES.alarm, "orders-age").inputs.threshold, 900);
        assert.deepEqual(alarm.inputs.alarmActions, [ALARM_TOPIC_ARN]);
    });

    it("alarms on any visible message in the dead-letter queue, to the alarm topic", () => {
        const alarm = one(run, TYPES.alarm, "orders-dlq-visible");
        assert.equal(alarm.inputs.metricName, "ApproximateNumberOfMessagesVisible");
        assert.deepEqual(alarm.inputs.dimensions, { QueueName: deadLetterQueue.inputs.name });
        assert.equal(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(alarm.inputs.threshold, 0);
        assert.deepEqual(alarm.inputs.alarmActions, [ALARM_TOPIC_ARN]);
        assert.equal(ofType(run, TYPES.alarm).length, 2);
    });

    it("protects both queues when asked, and only the queues", () => {
        assert.ok(ofType(run, TYPES.queue).every((q) => !q.protect));
        const protectedNames = filtered.resources.filter((r) => r.protect).map((r) => r.name).sort();
        assert.deepEqual(protectedNames, ["orders", "orders-dlq"]);
        assert.ok(ofType(filtered, TYPES.queue).every((q) => q.protect));
    });

    it("exports the URLs, ARNs and names of both queues", () => {
        assert.equal(run.outputs.queueUrl, queue.outputs.url);
        assert.equal(run.outputs.queueArn, queue.outputs.arn);
        assert.equal(run.outputs.queueName, queue.inputs.name);
        assert.equal(run.outputs.deadLetterQueueUrl, deadLetterQueue.outputs.url);
        assert.equal(run.outputs.deadLetterQueueArn, deadLetterQueue.outputs.arn);
        assert.equal(run.outputs.deadLetterQueueName, deadLetterQueue.inputs.name);
    });

    describe("queuePolicyStatements", () => {
        it("builds the TLS deny and the topic's send permission for any queue and topic", async () => {
            const statements = ConsumerQueue.queuePolicyStatements("arn:aws:sqs:eu-west-1:1:q", pulumi.output("arn:aws:sns:eu-west-1:1:t"));
            assert.deepEqual(statements.map((s) => [s.Sid, s.Effect, s.Action, s.Resource]), [
                ["DenyInsecureTransport", "Deny", "sqs:*", "arn:aws:sqs:eu-west-1:1:q"],
                ["EventTopicSends", "Allow", "sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q"],
            ]);
            const sourceArn = statements[1]!.Condition!.ArnEquals!["aws:SourceArn"] as pulumi.Output<string>;
            assert.equal(await promiseOf(sourceArn), "arn:aws:sns:eu-west-1:1:t");
        });
    });

    describe("validate", () => {
        it("accepts valid arguments", () => {
            assert.doesNotThrow(() => ConsumerQueue.validate("orders", VALID));
        });

        it("accepts the age thresholds from one minute to the highest the alarm can still reach", () => {
            for (const maxMessageAgeSeconds of [60, MAX_MESSAGE_AGE_SECONDS]) {
                assert.doesNotThrow(() => ConsumerQueue.validate("orders", { ...VALID, maxMessageAgeSeconds }));
            }
        });

        it("keeps the highest age threshold the alarm's two one-minute periods below the queue's retention", () => {
            assert.equal(MAX_MESSAGE_AGE_SECONDS, QUEUE_RETENTION_SECONDS - 2 * 60);
            assert.equal(MAX_MESSAGE_AGE_SECONDS, 345_480);
        });

        it("accepts a filter policy whose attributes map to lists or nested objects", () => {
            assert.doesNotThrow(() => ConsumerQueue.validate("orders", { ...VALID, filterPolicy: { type: ["order.created"], detail: { total: [{ numeric: [">", 0] }] } } }));
        });

        const ageRange = "must be a whole number from 60 to 345480: the age alarm looks once a minute and fires after 2 minutes above it, and the queue deletes a message at 345600 s (4 days)";
        const rejections: [string, Partial<ConsumerQueueArgs>, RegExp][] = [
            ["maxReceiveCount 0", { maxReceiveCount: 0 }, /maxReceiveCount 0 must be a whole number from 1 to 1000$/],
            ["maxReceiveCount 1001", { maxReceiveCount: 1001 }, /maxReceiveCount 1001 must be a whole number from 1 to 1000$/],
            ["a fractional maxReceiveCount", { maxReceiveCount: 1.5 }, /maxReceiveCount 1.5 must be a whole number from 1 to 1000$/],
            ["a negative visibility timeout", { visibilityTimeoutSeconds: -1 }, /visibilityTimeoutSeconds -1 must be a whole number from 0 to 43200$/],
            ["a visibility timeout above 12 hours", { visibilityTimeoutSeconds: 43_201 }, /visibilityTimeoutSeconds 43201 must be a whole number from 0 to 43200$/],
            ["a zero maxMessageAgeSeconds", { maxMessageAgeSeconds: 0 }, new RegExp(`maxMessageAgeSeconds 0 ${ageRange.replace(/[()]/g, "\\$&")}$`)],
            ["a maxMessageAgeSeconds below a minute", { maxMessageAgeSeconds: 59 }, /maxMessageAgeSeconds 59 must be a whole number from 60 to 345480/],
            ["a maxMessageAgeSeconds no message lives long enough to reach", { maxMessageAgeSeconds: 345_481 }, /maxMessageAgeSeconds 345481 must be a whole number from 60 to 345480/],
            ["an empty filter policy", { filterPolicy: {} }, /filterPolicy \{\} must name at least one attribute \(or leave filterPolicy out\)$/],
            ["a filter policy attribute without a name", { filterPolicy: { "": ["x"] } }, /filterPolicy \{"":\["x"\]\} must not have an attribute with an empty name$/],
            [
                "a filter policy attribute mapped to a single value",
                { filterPolicy: { type: "order.created" } },
                /filterPolicy \{"type":"order.created"\} each attribute must map to a list of values or a nested object, such as \{ type: \["order.created"\] \}$/,
            ],
            ["a filter policy attribute mapped to null", { filterPolicy: { type: null } }, /filterPolicy \{"type":null\} each attribute must map to a list of values or a nested object/],
        ];
        for (const [title, change, message] of rejections) {
            it(`rejects ${title}, naming the argument and the component`, () => {
                assertRunError(() => ConsumerQueue.validate("orders", { ...VALID, ...change }), /^ConsumerQueue orders: /, message);
            });
        }

        it("reports every bad argument at once", () => {
            assertRunError(
                () => ConsumerQueue.validate("orders", { ...VALID, maxReceiveCount: 0, visibilityTimeoutSeconds: -1, maxMessageAgeSeconds: 0 }),
                /maxReceiveCount 0 .*; maxMessageAgeSeconds 0 .*; visibilityTimeoutSeconds -1 /,
            );
        });
    });
    describe("a filter key no event can match (filterKeyProblems)", () => {
        const messageBody = (filterPolicy: Record<string, unknown>) => ({ filterPolicy, filterPolicyScope: "MessageBody" as const });

        for (const [key, meant] of [
            ["eventType", "type"],
            ["Type", "type"],
            ["event_source", "source"],
            ["contentType", "datacontenttype"],
            ["eventId", "id"],
            ["Tpye", "type"],
        ]) {
            it(`rejects the MessageBody key ${key}, naming it and the attribute it most likely meant (${meant})`, () => {
                assertRunError(
                    () => ConsumerQueue.validate("orders", { ...VALID, ...messageBody({ [key!]: ["order.created"] }) }),
                    new RegExp(`^ConsumerQueue orders: filterPolicy\\.${key} \\["order\\.created"\\] matches no event: .*lower-case letters and digits, so SNS would drop every event for this consumer\\. Did you mean "${meant}"\\?`),
                );
            });
        }

        it("names every such key by its path, including those inside $or alternatives", () => {
            const problems = filterKeyProblems(messageBody({ eventType: ["a"], $or: [{ Source: ["x"] }, { subject: ["y"] }] }));
            assert.deepEqual(
                problems.map(([argument, , within]) => [argument, within]),
                [
                    ["filterPolicy", ["eventType"]],
                    ["filterPolicy", ["$or", 0, "Source"]],
                ],
            );
            assert.match(problems[0]![1], /so SNS would drop every event for this consumer/);
            assert.match(problems[1]![1], /so this \$or alternative never matches\. Did you mean "source"\?/);
        });

        it("accepts CloudEvents attributes, extension attribute names and any key inside data", () => {
            const policy = { type: ["order.created"], source: [{ prefix: "/orders" }], orderchannel: ["web"], data: { orderId: ["42"], Customer: { Tier: ["gold"] } } };
            assert.deepEqual(filterKeyProblems(messageBody(policy)), []);
            assert.doesNotThrow(() => ConsumerQueue.validate("orders", { ...VALID, ...messageBody(policy) }));
        });

        it("leaves MessageAttributes-scope keys alone: message attribute names are the publisher's", () => {
            assert.deepEqual(filterKeyProblems({ filterPolicy: { eventType: ["order.created"] }, filterPolicyScope: "MessageAttributes" }), []);
        });

        it("leaves a malformed filter policy to the shape rule, so its one problem is reported once", () => {
            assert.deepEqual(filterKeyProblems(messageBody({ "": ["x"] })), []);
            assert.deepEqual(filterKeyProblems(messageBody({ Type: "x" })), []);
            assert.deepEqual(filterKeyProblems({ filterPolicyScope: "MessageBody" }), []);
        });

        it("does not trip over $or alternatives that are not objects", () => {
            assert.deepEqual(filterKeyProblems(messageBody({ $or: [null, "x", ["y"], { type: ["a"] }] })), []);
        });

        it("suggests by the same letters first, then an attribute the key is part of, then the nearest spelling", () => {
            for (const [key, meant] of [
                ["SpecVersion", "specversion"],
                ["data-schema", "dataschema"],
                ["I_D", "id"],
                ["Data", "data"],
                ["Ty", "type"],
                ["ce_subject", "subject"],
                ["Tiem", "time"],
                ["TIPE", "type"],
            ]) {
                assert.equal(likelyCloudEventAttribute(key!), meant, key);
            }
        });
    });
});
