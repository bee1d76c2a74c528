import assert from "node:assert/strict";
import { sqsVisibilityTimeoutCoversConsumer as policy } from "../../../policies/sqs/sqs-visibility-timeout-covers-consumer";
import { FixtureResource, RunOptions, UNKNOWN, validateStack } from "../harness";
import {
    ACCOUNT,
    add,
    assertRan,
    byName,
    change,
    dependencies,
    flagged,
    functionArn,
    inRegion,
    literal,
    MALFORMED_VALUES,
    OTHER_ACCOUNT,
    OTHER_REGION,
    PHYSICAL,
    pipeline,
    queueArn,
    REGION,
    topicArn,
} from "../pipeline-fixtures";

async function check(fixtures: FixtureResource[], run?: RunOptions): Promise<string[]> {
    const violations = await validateStack(policy, fixtures, run);
    assertRan(violations);
    return flagged(violations);
}

const deployed = () => pipeline("deployed");
/** The deployed pipeline with the queue's visibility timeout and the worker's timeout set (undefined: unset). */
const timeouts = (visibilityTimeoutSeconds: unknown, timeout: unknown, fixtures = deployed()) =>
    change(change(fixtures, "orders-queue", { visibilityTimeoutSeconds }), "orders-consumer", { timeout });

describe("sqs-visibility-timeout-covers-consumer", () => {
    it("is named, explained, mandatory and configurable", () => {
        assert.equal(policy.name, "sqs-visibility-timeout-covers-consumer");
        assert.match(policy.description, /visibility timeout/i);
        assert.equal(policy.enforcementLevel, "mandatory");
        assert.equal(policy.configSchema?.properties.timeoutMultiple.default, 6);
    });

    describe("compliance", () => {
        it("passes the deployed pipeline: 180 s ≥ 6 × 30 s", async () => {
            assert.deepEqual(await check(deployed()), []);
        });

        it("uses SQS's 30 s and Lambda's 3 s defaults when unset", async () => {
            assert.deepEqual(await check(timeouts(undefined, undefined)), []);
            assert.deepEqual(await check(timeouts(18, undefined)), []);
        });

        it("finds the function by name or by qualified ARN", async () => {
            for (const functionName of [PHYSICAL.consumer, `${functionArn(PHYSICAL.consumer)}:live`]) {
                const fixtures = change(timeouts(60, 30), "orders-mapping", { functionName });
                assert.deepEqual(await check(fixtures), ["orders-queue"], functionName);
            }
        });

        it("falls back on a deployed mapping's functionArn when functionName names nothing", async () => {
            const fixtures = change(timeouts(60, 30), "orders-mapping", { functionName: "renamed-by-hand", functionArn: functionArn(PHYSICAL.consumer) });
            assert.deepEqual(await check(fixtures), ["orders-queue"]);
        });

        it("honours a configured multiple", async () => {
            assert.deepEqual(await check(timeouts(90, 30), { config: { timeoutMultiple: 3 } }), []);
        });

        it("ignores a mapping on a queue in another stack", async () => {
            assert.deepEqual(await check(literal(timeouts(60, 30), "orders-mapping", { eventSourceArn: queueArn("elsewhere") })), []);
        });
    });

    describe("non-compliance", () => {
        it("flags a visibility timeout shorter than 6 × the function timeout, on the queue", async () => {
            const violations = await validateStack(policy, timeouts(179, 30));
            assert.deepEqual(flagged(violations), ["orders-queue"]);
            assert.match(violations[0].message, /179 s.*6 × the 30 s timeout.*'orders-consumer'.*at least 180/);
        });

        it("flags SQS's default 30 s against a 30 s function", async () => {
            assert.deepEqual(await check(timeouts(undefined, 30)), ["orders-queue"]);
        });

        it("flags 17 s against Lambda's default 3 s", async () => {
            assert.deepEqual(await check(timeouts(17, undefined)), ["orders-queue"]);
        });

        it("reports a queue and function pair once, however many mappings join them", async () => {
            const mapping = byName(deployed(), "orders-mapping");
            assert.deepEqual(await check(add(timeouts(60, 30), { ...mapping, name: "orders-mapping-2" })), ["orders-queue"]);
        });
    });

    describe("unknown values during preview", () => {
        it("passes the preview of a new stack", async () => {
            assert.deepEqual(await check(pipeline("preview")), []);
        });

        it("relates mapping, queue and function through propertyDependencies when the ARNs are unknown", async () => {
            assert.deepEqual(await check(timeouts(60, 30, pipeline("preview"))), ["orders-queue"]);
        });

        it("passes an unknown visibility timeout or function timeout", async () => {
            assert.deepEqual(await check(timeouts(UNKNOWN, 30)), []);
            assert.deepEqual(await check(timeouts(60, UNKNOWN)), []);
        });

        it("passes a mapping whose unknown source depends on no queue", async () => {
            assert.deepEqual(await check(dependencies(timeouts(60, 30, pipeline("preview")), "orders-mapping", { functionName: ["orders-consumer"] })), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on timeouts, eventSourceArn or functionName = ${JSON.stringify(value)}`, async () => {
                await check(timeouts(value, value));
                await check(change(deployed(), "orders-mapping", { eventSourceArn: value, functionName: value }));
                await check(deployed(), { config: { timeoutMultiple: value } });
            });
        }

        it("does not judge a timeout that is not a number", async () => {
            assert.deepEqual(await check(timeouts("soon", 30)), []);
        });
    });
});

describe("sqs-visibility-timeout-covers-consumer: timeouts set to null", () => {
    it("a null visibility timeout is unset: SQS's 30 s default is judged", async () => {
        const violations = await validateStack(policy, change(pipeline("deployed"), "orders-queue", { visibilityTimeoutSeconds: null }));
        assertRan(violations);
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /has a visibility timeout of 30 s, less than 6 × the 30 s timeout/);
    });

    it("a null function timeout is unset: Lambda's 3 s default is judged", async () => {
        let fixtures = change(pipeline("deployed"), "orders-consumer", { timeout: null });
        fixtures = change(fixtures, "orders-queue", { visibilityTimeoutSeconds: 10 });
        const violations = await validateStack(policy, fixtures);
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /less than 6 × the 3 s timeout .* at least 18 /);
    });
});

describe("sqs-visibility-timeout-covers-consumer: the mapping's queue and function as the program names them, in a first preview and after", () => {
    /** A first preview whose queue's visibility timeout (60 s) is too short for the function's (30 s): a mapping related to both is flagged. */
    const tooShort = () => timeouts(60, 30, inRegion(pipeline("preview"), REGION));
    const mappingTo = (fixtures: FixtureResource[], eventSourceArn: string, functionName: string, write: typeof literal = literal) =>
        write(fixtures, "orders-mapping", { eventSourceArn, functionName });

    it("relates the mapping to its queue and function by literals while their ARNs are unknown (first preview)", async () => {
        for (const functionName of [
            PHYSICAL.consumer,
            functionArn(PHYSICAL.consumer),
            `${functionArn(PHYSICAL.consumer)}:live`,
            `${ACCOUNT}:function:${PHYSICAL.consumer}`,
        ]) {
            assert.deepEqual(await check(mappingTo(tooShort(), queueArn(PHYSICAL.queue), functionName)), ["orders-queue"], functionName);
        }
    });

    it("relates it through the properties' dependencies when the literals name nothing here", async () => {
        assert.deepEqual(await check(mappingTo(tooShort(), queueArn("orders-queue-from-config"), "orders-consumer-from-config", change)), ["orders-queue"]);
    });

    it("does not relate it to the queue or function of the same name in another region or account, nor through dependencies then", async () => {
        assert.deepEqual(await check(mappingTo(tooShort(), queueArn(PHYSICAL.queue, OTHER_REGION), PHYSICAL.consumer)), []);
        assert.deepEqual(await check(mappingTo(tooShort(), queueArn(PHYSICAL.queue), functionArn(PHYSICAL.consumer, OTHER_REGION))), []);
        assert.deepEqual(await check(mappingTo(tooShort(), queueArn("orders-queue-from-config", OTHER_REGION), PHYSICAL.consumer, change)), []);
        assert.deepEqual(await check(mappingTo(timeouts(60, 30), queueArn(PHYSICAL.queue, REGION, OTHER_ACCOUNT), PHYSICAL.consumer)), []);
    });

    it("does not take a topic or a queue of the same name for the queue or the function", async () => {
        assert.deepEqual(await check(mappingTo(tooShort(), topicArn(PHYSICAL.queue), PHYSICAL.consumer)), []);
        assert.deepEqual(await check(mappingTo(tooShort(), queueArn(PHYSICAL.queue), PHYSICAL.queue)), []);
    });

    it("says which of the two a violation is: below AWS's guidance, or below the function's timeout, which Lambda refuses", async () => {
        const [guidance] = await validateStack(policy, timeouts(60, 30));
        assert.match(guidance.message, /less than 6 × the 30 s timeout of its consumer, Lambda function 'orders-consumer', below AWS's guidance/);
        const [refused] = await validateStack(policy, timeouts(20, 30));
        assert.match(refused.message, /less than the 30 s timeout of its consumer, Lambda function 'orders-consumer': Lambda refuses to create or update the event source mapping/);
        const [equal] = await validateStack(policy, timeouts(30, 30));
        assert.match(equal.message, /below AWS's guidance/, "a visibility timeout equal to the function's is accepted by Lambda");
    });
});
