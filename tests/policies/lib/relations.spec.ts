import assert from "node:assert/strict";
import type { PolicyResource } from "@pulumi/policy";
import { parsePolicyDocument } from "../../../policies/lib/policy-document";
import {
    alarmCoverage,
    AwsType,
    deadLetterTarget,
    documentsFor,
    functionReferenceAlternatives,
    isAlarmed,
    isSqsArn,
    judgeDocuments,
    QUEUE_POLICIES,
    redrives,
    resourcePolicies,
} from "../../../policies/lib/relations";
import { StackIndex } from "../../../policies/lib/stack";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import { add, change, dependencies, MALFORMED_VALUES, PHYSICAL, pipeline, queueArn, queueUrl } from "../pipeline-fixtures";

async function indexOf(fixtures: FixtureResource[]): Promise<StackIndex> {
    let captured: PolicyResource[] = [];
    await validateStack({ name: "capture", description: "", validateStack: (args) => void (captured = args.resources) }, fixtures);
    return StackIndex.of(captured);
}

const urnOfName = (index: StackIndex, name: string) => index.all.find((r) => r.name === name)!.urn;

describe("policies/lib/relations", () => {
    describe("deadLetterTarget", () => {
        it("reads the target of a JSON or object redrive policy", () => {
            assert.deepEqual(deadLetterTarget('{"deadLetterTargetArn":"arn:x","maxReceiveCount":5}'), { target: "arn:x", malformed: false });
            assert.deepEqual(deadLetterTarget({ deadLetterTargetArn: UNKNOWN }), { target: UNKNOWN, malformed: false });
            assert.deepEqual(deadLetterTarget(UNKNOWN), { target: UNKNOWN, malformed: false });
            assert.deepEqual(deadLetterTarget(""), { target: undefined, malformed: false });
            assert.deepEqual(deadLetterTarget('{"maxReceiveCount":5}'), { target: undefined, malformed: true });
            for (const value of MALFORMED_VALUES) {
                deadLetterTarget(value);
            }
        });
    });

    describe("redrives", () => {
        it("finds dead-letter queues and queues with a redrive, deployed and in preview", async () => {
            for (const phase of ["deployed", "preview"] as const) {
                const index = await indexOf(pipeline(phase));
                const result = redrives(index);
                assert.deepEqual([...result.deadLetterQueues], [urnOfName(index, "orders-dlq")], phase);
                assert.deepEqual([...result.queuesWithRedrive], [urnOfName(index, "orders-queue")], phase);
                assert.equal(result.anyQueueMayBeDeadLetter, false);
            }
        });

        it("marks any queue as possibly a DLQ when an unknown target depends on no queue", async () => {
            const result = redrives(await indexOf(dependencies(pipeline("preview"), "orders-queue", {})));
            assert.equal(result.anyQueueMayBeDeadLetter, true);
        });

        it("reads RedrivePolicy resources, their queue unresolvable or not", async () => {
            const fixtures = add(change(pipeline("deployed"), "orders-queue", { redrivePolicy: undefined }), {
                type: AwsType.RedrivePolicy,
                name: "redrive",
                props: { queueUrl: UNKNOWN, redrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(PHYSICAL.dlq) }) },
            });
            const result = redrives(await indexOf(fixtures));
            assert.equal(result.anyQueueMayHaveRedrive, true);
            assert.equal(result.deadLetterQueues.size, 1);
        });
    });

    describe("alarmCoverage", () => {
        it("maps alarms to the resources their dimension names", async () => {
            const index = await indexOf(pipeline("deployed"));
            const coverage = alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", types: [AwsType.Queue] });
            assert.ok(isAlarmed(coverage, urnOfName(index, "orders-queue"), "ApproximateAgeOfOldestMessage"));
            assert.ok(!isAlarmed(coverage, urnOfName(index, "orders-queue"), "ApproximateNumberOfMessagesVisible"));
            assert.ok(isAlarmed(coverage, urnOfName(index, "orders-dlq"), "ApproximateNumberOfMessagesVisible"));
        });

        it("keeps unknown metric names and unresolvable targets as wildcards", async () => {
            const fixtures = dependencies(change(pipeline("preview"), "orders-queue-age-alarm", { metricName: UNKNOWN }), "orders-queue-age-alarm", {});
            const index = await indexOf(fixtures);
            const coverage = alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", types: [AwsType.Queue] });
            assert.ok(isAlarmed(coverage, "urn:anything", "AnyMetric"));
        });

        it("never throws on malformed alarms", async () => {
            for (const value of MALFORMED_VALUES) {
                const index = await indexOf(change(pipeline("deployed"), "orders-queue-age-alarm", { dimensions: value, metricQueries: value, namespace: value }));
                alarmCoverage(index, { namespace: "AWS/SQS", dimension: "QueueName", types: [AwsType.Queue] });
            }
        });
    });

    describe("resourcePolicies and judgeDocuments", () => {
        it("gathers a queue's inline policy and its QueuePolicy resources", async () => {
            const fixtures = change(pipeline("deployed"), "orders-queue", { policy: '{"Statement":[]}' });
            const index = await indexOf(fixtures);
            const policies = resourcePolicies(index, QUEUE_POLICIES);
            assert.equal(documentsFor(policies, urnOfName(index, "orders-queue")).length, 2);
            assert.equal(documentsFor(policies, urnOfName(index, "orders-dlq")).length, 1);
        });

        it("adds a policy whose queue cannot be resolved to every queue", async () => {
            const fixtures = dependencies(change(pipeline("deployed"), "orders-dlq-policy", { queueUrl: UNKNOWN }), "orders-dlq-policy", {});
            const index = await indexOf(fixtures);
            const policies = resourcePolicies(index, QUEUE_POLICIES);
            assert.equal(policies.anyTarget.length, 1);
            assert.equal(documentsFor(policies, urnOfName(index, "orders-queue")).length, 2);
            assert.equal(documentsFor(policies, queueUrl("nowhere")).length, 1);
        });

        it("judges documents: satisfied, unknown, absent, malformed, unsatisfied", () => {
            const yes = () => true;
            const no = () => false;
            const parsed = parsePolicyDocument('{"Statement":[{"Effect":"Allow"}]}');
            assert.equal(judgeDocuments([parsed], yes), "satisfied");
            assert.equal(judgeDocuments([parsed, parsePolicyDocument(UNKNOWN)], no), "unknown");
            assert.equal(judgeDocuments([], no), "absent");
            assert.equal(judgeDocuments([parsePolicyDocument("nope")], no), "malformed");
            assert.equal(judgeDocuments([parsed, parsePolicyDocument("nope")], no), "unsatisfied");
        });
    });

    describe("Lambda and SQS references", () => {
        it("spells a qualified function ARN as its unqualified ARN and name", () => {
            const arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders-worker";
            assert.deepEqual(functionReferenceAlternatives(`${arn}:live`), [arn, "orders-worker"]);
            assert.deepEqual(functionReferenceAlternatives(arn), [arn, "orders-worker"]);
            assert.deepEqual(functionReferenceAlternatives("orders-worker"), []);
        });

        it("recognises SQS ARNs in any partition", () => {
            assert.ok(isSqsArn("arn:aws-cn:sqs:cn-north-1:123456789012:q"));
            assert.ok(!isSqsArn("arn:aws:kinesis:eu-west-1:123456789012:stream/s"));
        });
    });
});
