import assert from "node:assert/strict";
import { sqsDeadLetterQueueRequired as policy } from "../../../policies/sqs/sqs-dead-letter-queue-required";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import {
    ACCOUNT,
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
    topicArn,
} from "../pipeline-fixtures";

async function check(fixtures: FixtureResource[]): Promise<string[]> {
    const violations = await validateStack(policy, fixtures);
    assertRan(violations);
    return flagged(violations);
}

const deployed = () => pipeline("deployed");
const withoutRedrive = () => change(deployed(), "orders-queue", { redrivePolicy: undefined });

function redrivePolicyResource(queueUrlValue: unknown, redrive: unknown, propertyDependencies?: Record<string, string[]>): FixtureResource {
    return { type: "aws:sqs/redrivePolicy:RedrivePolicy", name: "orders-redrive", props: { queueUrl: queueUrlValue, redrivePolicy: redrive }, propertyDependencies };
}

describe("sqs-dead-letter-queue-required", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "sqs-dead-letter-queue-required");
        assert.match(policy.description, /dead-letter/i);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes the deployed pipeline; the dead-letter queue itself needs none", async () => {
            assert.deepEqual(await check(deployed()), []);
        });

        it("passes a queue redriven by an aws:sqs/redrivePolicy:RedrivePolicy", async () => {
            const fixtures = add(withoutRedrive(), redrivePolicyResource(queueUrl(PHYSICAL.queue), JSON.stringify({ deadLetterTargetArn: queueArn(PHYSICAL.dlq), maxReceiveCount: 3 })));
            assert.deepEqual(await check(fixtures), []);
        });

        it("passes a redrivePolicy given as an object, key in another case", async () => {
            assert.deepEqual(await check(change(deployed(), "orders-queue", { redrivePolicy: { DeadLetterTargetArn: queueArn(PHYSICAL.dlq), maxReceiveCount: 5 } })), []);
        });

        it("passes a queue whose dead-letter queue lives in another stack", async () => {
            const fixtures = literal(deployed(), "orders-queue", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn("shared-dlq"), maxReceiveCount: 5 }) });
            // The DLQ of this stack is then nobody's dead-letter queue and needs a redrive of its own.
            assert.deepEqual(await check(fixtures), ["orders-dlq"]);
        });
    });

    describe("non-compliance", () => {
        it("flags a queue without a redrive policy", async () => {
            const violations = await validateStack(policy, withoutRedrive());
            // Nothing names orders-dlq as a dead-letter queue any more, so it is an ordinary queue too.
            assert.deepEqual(flagged(violations).sort(), ["orders-dlq", "orders-queue"]);
            assert.match(violations[0].message, /has no redrive policy: set redrivePolicy/);
        });

        it("flags an empty redrivePolicy (what the provider reports when none is set)", async () => {
            assert.ok((await check(change(deployed(), "orders-queue", { redrivePolicy: "" }))).includes("orders-queue"));
        });

        it("flags a redrivePolicy that names no dead-letter queue", async () => {
            const violations = await validateStack(policy, change(deployed(), "orders-queue", { redrivePolicy: JSON.stringify({ maxReceiveCount: 5 }) }));
            assert.ok(flagged(violations).includes("orders-queue"));
            assert.match(violations.find((v) => flagged([v])[0] === "orders-queue")!.message, /not a JSON object naming a deadLetterTargetArn/);
        });

        it("flags a RedrivePolicy resource for another queue", async () => {
            const fixtures = add(withoutRedrive(), redrivePolicyResource(queueUrl("someone-elses-queue"), JSON.stringify({ deadLetterTargetArn: queueArn(PHYSICAL.dlq) })));
            assert.deepEqual(await check(fixtures), ["orders-queue"]);
        });
    });

    describe("unknown values during preview", () => {
        it("passes the preview of a new stack: an unknown redrive policy counts as present, its dependency names the DLQ", async () => {
            assert.deepEqual(await check(pipeline("preview")), []);
        });

        it("treats an unknown redrive target with no dependency as possibly any queue", async () => {
            assert.deepEqual(await check(dependencies(pipeline("preview"), "orders-queue", {})), []);
        });

        it("relates a RedrivePolicy to its queue through propertyDependencies when queueUrl is unknown", async () => {
            const preview = change(pipeline("preview"), "orders-queue", { redrivePolicy: undefined });
            const related = add(preview, redrivePolicyResource(UNKNOWN, UNKNOWN, { queueUrl: ["orders-queue"], redrivePolicy: ["orders-dlq"] }));
            assert.deepEqual(await check(related), []);
            const elsewhere = add(
                add(preview, { type: "aws:sqs/queue:Queue", name: "other-queue", props: { name: "other-queue-1", arn: UNKNOWN, url: UNKNOWN } }),
                redrivePolicyResource(UNKNOWN, UNKNOWN, { queueUrl: ["other-queue"], redrivePolicy: ["orders-dlq"] }),
            );
            assert.deepEqual(await check(elsewhere), ["orders-queue"]);
        });

        it("passes a deadLetterTargetArn that alone is unknown", async () => {
            assert.deepEqual(await check(change(deployed(), "orders-queue", { redrivePolicy: { deadLetterTargetArn: UNKNOWN, maxReceiveCount: 5 } })), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on redrivePolicy or a RedrivePolicy's queueUrl = ${JSON.stringify(value)}`, async () => {
                await check(change(deployed(), "orders-queue", { redrivePolicy: value }));
                await check(add(withoutRedrive(), redrivePolicyResource(value, value)));
            });
        }

        it("flags a redrivePolicy that is not JSON", async () => {
            const violations = await validateStack(policy, change(deployed(), "orders-queue", { redrivePolicy: "{deadLetterTargetArn:" }));
            assert.ok(flagged(violations).includes("orders-queue"));
        });
    });
});

describe("sqs-dead-letter-queue-required: a RedrivePolicy resource that names no dead-letter queue", () => {
    for (const redrivePolicy of ["{}", '{"maxReceiveCount": 5}', ""]) {
        it(`gives the queue no redrive: redrivePolicy = ${JSON.stringify(redrivePolicy)}`, async () => {
            const fixtures = add(change(pipeline("deployed"), "orders-queue", { redrivePolicy: undefined }), {
                type: "aws:sqs/redrivePolicy:RedrivePolicy",
                name: "orders-redrive",
                props: { queueUrl: queueUrl(PHYSICAL.queue), redrivePolicy },
            });
            const violations = await validateStack(policy, fixtures);
            assertRan(violations);
            assert.ok(flagged(violations).includes("orders-queue"), JSON.stringify(violations));
        });
    }
});

describe("sqs-dead-letter-queue-required: the dead-letter queue as the program names it, in a first preview and after", () => {
    const preview = () => inRegion(pipeline("preview"), REGION);
    const redriveTo = (deadLetterTargetArn: string) => JSON.stringify({ deadLetterTargetArn, maxReceiveCount: 5 });

    it("recognises a dead-letter queue named by a literal ARN while its own ARN is unknown (the first preview of a new stack)", async () => {
        assert.deepEqual(await check(literal(preview(), "orders-queue", { redrivePolicy: redriveTo(queueArn(PHYSICAL.dlq)) })), []);
    });

    it("recognises it through the redrive policy's dependencies when the literal names no queue here", async () => {
        assert.deepEqual(await check(change(preview(), "orders-queue", { redrivePolicy: redriveTo(queueArn("billing-dlq-from-config")) })), []);
        assert.deepEqual(await check(change(deployed(), "orders-queue", { redrivePolicy: redriveTo(queueArn("billing-dlq-from-config")) })), []);
    });

    it("does not take a queue of the same name in another region or account for it", async () => {
        const otherRegion = literal(preview(), "orders-queue", { redrivePolicy: redriveTo(queueArn(PHYSICAL.dlq, OTHER_REGION)) });
        const otherAccount = literal(deployed(), "orders-queue", { redrivePolicy: redriveTo(queueArn(PHYSICAL.dlq, REGION, OTHER_ACCOUNT)) });
        // The stack's own dead-letter queue is then nobody's and needs a redrive of its own.
        assert.deepEqual(await check(otherRegion), ["orders-dlq"]);
        assert.deepEqual(await check(otherAccount), ["orders-dlq"]);
    });

    it("does not follow the dependencies of a literal that names another region, nor take a topic of the same name for the queue", async () => {
        assert.deepEqual(await check(change(preview(), "orders-queue", { redrivePolicy: redriveTo(queueArn("billing-dlq-from-config", OTHER_REGION)) })), ["orders-dlq"]);
        assert.deepEqual(await check(literal(preview(), "orders-queue", { redrivePolicy: redriveTo(topicArn(PHYSICAL.dlq)) })), ["orders-dlq"]);
    });

    it("relates a RedrivePolicy resource to its queue by a literal URL, legacy form included", async () => {
        for (const url of [queueUrl(PHYSICAL.queue), `https://${REGION}.queue.amazonaws.com/${ACCOUNT}/${PHYSICAL.queue}`]) {
            const fixtures = add(change(preview(), "orders-queue", { redrivePolicy: undefined }), redrivePolicyResource(url, redriveTo(queueArn(PHYSICAL.dlq))));
            assert.deepEqual(await check(fixtures), [], url);
        }
    });
});
