import assert from "node:assert/strict";
import { lambdaErrorsAlarmRequired as policy } from "../../../policies/lambda/lambda-errors-alarm-required";
import { FixtureResource, UNKNOWN, validateStack } from "../harness";
import {
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
    OTHER_REGION,
    PHYSICAL,
    pipeline,
    REGION,
    remove,
} from "../pipeline-fixtures";

async function check(fixtures: FixtureResource[]): Promise<string[]> {
    const violations = await validateStack(policy, fixtures);
    assertRan(violations);
    return flagged(violations);
}

const deployed = () => pipeline("deployed");
const errorsAlarm = (changes: Record<string, unknown>, fixtures = deployed()) => change(fixtures, "orders-errors", changes);

describe("lambda-errors-alarm-required", () => {
    it("is named, explained and mandatory", () => {
        assert.equal(policy.name, "lambda-errors-alarm-required");
        assert.match(policy.description, /Errors/);
        assert.equal(policy.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("passes the deployed pipeline: an AWS/Lambda Errors alarm names the worker", async () => {
            assert.deepEqual(await check(deployed()), []);
        });

        it("passes an alarm on an alias of the function, by its Resource dimension (name:alias, as CloudWatch spells it)", async () => {
            assert.deepEqual(await check(errorsAlarm({ dimensions: { Resource: `${PHYSICAL.consumer}:live` } })), []);
            assert.deepEqual(await check(errorsAlarm({ dimensions: { FunctionName: PHYSICAL.consumer, Resource: `${PHYSICAL.consumer}:live` } })), []);
        });

        it("passes an alarm written as metric math", async () => {
            const metricQueries = [
                { id: "errors", metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: PHYSICAL.consumer }, period: 60, stat: "Sum" } },
                { id: "invocations", metric: { namespace: "AWS/Lambda", metricName: "Invocations", dimensions: { FunctionName: PHYSICAL.consumer }, period: 60, stat: "Sum" } },
                { id: "rate", expression: "errors / invocations", returnData: true },
            ];
            assert.deepEqual(await check(errorsAlarm({ namespace: undefined, metricName: undefined, dimensions: undefined, metricQueries })), []);
        });
    });

    describe("non-compliance", () => {
        it("flags a function without an Errors alarm, on the function", async () => {
            const violations = await validateStack(policy, remove(deployed(), "orders-errors"));
            assert.deepEqual(flagged(violations), ["orders-consumer"]);
            assert.match(violations[0].message, /'orders-consumer' has no CloudWatch alarm on its Errors metric.*namespace "AWS\/Lambda", metricName "Errors"/);
        });

        it("flags an alarm whose FunctionName is the function's ARN, which CloudWatch matches to no metric, and says it must be the name", async () => {
            for (const identifier of [functionArn(PHYSICAL.consumer), `${functionArn(PHYSICAL.consumer)}:live`]) {
                const violations = await validateStack(policy, errorsAlarm({ dimensions: { FunctionName: identifier } }));
                assert.deepEqual(flagged(violations), ["orders-consumer"], identifier);
                assert.match(
                    violations[0].message,
                    /'orders-consumer' has no CloudWatch alarm on its Errors metric \(alarm 'orders-errors' watches nothing: the FunctionName dimension must be the function's name, orders-consumer-4a4b4c4, not its ARN\): add/,
                );
            }
            assert.deepEqual(await check(errorsAlarm({ dimensions: { Resource: `${functionArn(PHYSICAL.consumer)}:live` } })), ["orders-consumer"]);
            assert.deepEqual(await check(errorsAlarm({ dimensions: { FunctionName: "another-function", Resource: `${PHYSICAL.consumer}:live` } })), ["orders-consumer"]);
        });

        it("flags an alarm on another metric, namespace or function", async () => {
            assert.deepEqual(await check(errorsAlarm({ metricName: "Throttles" })), ["orders-consumer"]);
            assert.deepEqual(await check(errorsAlarm({ namespace: "AWS/SQS" })), ["orders-consumer"]);
            assert.deepEqual(await check(errorsAlarm({ dimensions: { FunctionName: "another-function" } })), ["orders-consumer"]);
        });

        it("flags each function that lacks its own alarm", async () => {
            const worker = byName(deployed(), "orders-consumer");
            const second = { ...worker, name: "billing-worker", props: { ...worker.props, name: "billing-worker-1", arn: functionArn("billing-worker-1"), id: "billing-worker-1" } };
            assert.deepEqual(await check(add(deployed(), second)), ["billing-worker"]);
        });
    });

    describe("unknown values during preview", () => {
        it("passes the preview of a new stack, relating the alarm to the function through propertyDependencies", async () => {
            assert.deepEqual(await check(pipeline("preview")), []);
        });

        it("flags, during preview, a function when the alarm's unknown dimension depends on another function", async () => {
            const worker = byName(pipeline("preview"), "orders-consumer");
            const other = { ...worker, name: "billing-worker", props: { ...worker.props, name: "billing-worker-1" } };
            const fixtures = dependencies(add(pipeline("preview"), other), "orders-errors", { dimensions: ["billing-worker"] });
            assert.deepEqual(await check(fixtures), ["orders-consumer"]);
        });

        it("passes an alarm whose unknown dimension depends on no function, or whose metric name is unknown", async () => {
            assert.deepEqual(await check(dependencies(pipeline("preview"), "orders-errors", {})), []);
            assert.deepEqual(await check(errorsAlarm({ metricName: UNKNOWN })), []);
        });
    });

    describe("malformed values", () => {
        for (const value of MALFORMED_VALUES) {
            it(`never throws on the alarm's dimensions, metricQueries or metricName = ${JSON.stringify(value)}`, async () => {
                await check(errorsAlarm({ dimensions: value }));
                await check(errorsAlarm({ metricQueries: value, metricName: value }));
                await check(errorsAlarm({ metricQueries: [{ metric: value }, value] }));
            });
        }
    });
});

describe("lambda-errors-alarm-required: alarms as CloudWatch matches them, in a first preview and after", () => {
    const preview = () => inRegion(pipeline("preview"), REGION);
    const errorsDimensions = (fixtures: FixtureResource[], dimensions: Record<string, unknown>, write: typeof literal = literal) => write(fixtures, "orders-errors", { dimensions });

    it("counts an alarm whose FunctionName (or Resource, for an alias) is the function's name written as a literal (first preview)", async () => {
        assert.deepEqual(await check(errorsDimensions(preview(), { FunctionName: PHYSICAL.consumer })), []);
        assert.deepEqual(await check(errorsDimensions(preview(), { Resource: `${PHYSICAL.consumer}:live` })), []);
    });

    it("counts it through its dependencies only while the function's name is not known yet", async () => {
        const unnamed = change(pipeline("preview"), "orders-consumer", { name: UNKNOWN });
        assert.deepEqual(await check(errorsDimensions(unnamed, { FunctionName: "orders-consumer-from-config" }, change)), []);
        assert.deepEqual(await check(errorsDimensions(preview(), { FunctionName: "orders-consumer-from-config" }, change)), ["orders-consumer"]);
    });

    it("flags a function whose only alarm holds its ARN, in a first preview too", async () => {
        assert.deepEqual(await check(errorsDimensions(preview(), { FunctionName: functionArn(PHYSICAL.consumer) })), ["orders-consumer"]);
    });

    it("does not count an alarm of another region, nor one naming a resource of another type", async () => {
        const otherRegion = await validateStack(policy, inRegion(errorsDimensions(preview(), { FunctionName: PHYSICAL.consumer }), OTHER_REGION, ["orders-errors"]));
        assert.deepEqual(flagged(otherRegion), ["orders-consumer"]);
        assert.doesNotMatch(otherRegion[0].message, /watches nothing/, "its dimension is the name: only its region is another");
        assert.deepEqual(await check(errorsDimensions(preview(), { FunctionName: PHYSICAL.queue })), ["orders-consumer"]);
    });
});
