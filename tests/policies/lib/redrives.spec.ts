import assert from "node:assert/strict";
import { AwsType } from "../../../policies/lib/aws-types";
import { deadLetterTarget, redrives } from "../../../policies/lib/redrives";
import { StackIndex } from "../../../policies/lib/stack";
import { FixtureResource, serverResources, UNKNOWN } from "../harness";
import { add, change, dependencies, MALFORMED_VALUES, PHYSICAL, pipeline, queueArn } from "../pipeline-fixtures";

const indexOf = async (fixtures: FixtureResource[]) => StackIndex.of(await serverResources(fixtures));
const urnOfName = (index: StackIndex, name: string) => index.all.find((r) => r.name === name)!.urn;

describe("policies/lib/redrives", () => {
    describe("deadLetterTarget: what names a dead-letter queue", () => {
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

        it("null and absent name none and are not malformed", () => {
            assert.deepEqual(deadLetterTarget(null), { target: undefined, malformed: false });
            assert.deepEqual(deadLetterTarget(undefined), { target: undefined, malformed: false });
        });

        it("text that is not a JSON object is malformed", () => {
            assert.deepEqual(deadLetterTarget("arn:aws:sqs:eu-west-1:123456789012:orders-dlq"), { target: undefined, malformed: true });
            assert.deepEqual(deadLetterTarget("[1]"), { target: undefined, malformed: true });
        });

        it("finds deadLetterTargetArn among other keys, in any case", () => {
            assert.deepEqual(deadLetterTarget({ maxReceiveCount: 5, DeadLetterTargetArn: "arn:dlq" }), { target: "arn:dlq", malformed: false });
        });

        it("an empty target names nothing and is malformed", () => {
            assert.deepEqual(deadLetterTarget({ deadLetterTargetArn: "", maxReceiveCount: 5 }), { target: undefined, malformed: true });
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
});
