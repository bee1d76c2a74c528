import assert from "node:assert/strict";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { lambdaErrorsAlarmRequired } from "../../../policies/lambda/lambda-errors-alarm-required";
import { lambdaSqsPartialBatchResponse } from "../../../policies/lambda/lambda-sqs-partial-batch-response";
import { snsSqsSubscriptionDeliverable } from "../../../policies/sns/sns-sqs-subscription-deliverable";
import { snsTopicTlsOnly } from "../../../policies/sns/sns-topic-tls-only";
import { sqsDeadLetterQueueRequired } from "../../../policies/sqs/sqs-dead-letter-queue-required";
import { sqsQueueAlarmRequired } from "../../../policies/sqs/sqs-queue-alarm-required";
import { sqsQueueTlsOnly } from "../../../policies/sqs/sqs-queue-tls-only";
import { sqsVisibilityTimeoutCoversConsumer } from "../../../policies/sqs/sqs-visibility-timeout-covers-consumer";
import { StackIndex } from "../../../policies/lib/stack";
import { FixtureResource, serverResources, UNKNOWN, validateStack } from "../harness";
import { assertRan, dependencies, functionArn, PHYSICAL, pipeline, queueArn, queueUrl } from "../pipeline-fixtures";

async function indexOf(fixtures: FixtureResource[]): Promise<StackIndex> {
    return StackIndex.of(await serverResources(fixtures));
}

describe("policies/lib/stack", () => {
    describe("StackIndex", () => {
        it("indexes by URN, by type and by every known identifier", async () => {
            const index = await indexOf(pipeline("deployed"));
            const queue = index.all.find((r) => r.name === "orders-queue")!;
            assert.equal(index.byUrn(queue.urn), queue);
            assert.deepEqual(index.ofType("aws:sqs/queue:Queue").map((r) => r.name), ["orders-dlq", "orders-queue"]);
            for (const identifier of [queueArn(PHYSICAL.queue), queueUrl(PHYSICAL.queue), PHYSICAL.queue]) {
                assert.deepEqual(index.withIdentifier(identifier, ["aws:sqs/queue:Queue"]).map((r) => r.name), ["orders-queue"], identifier);
            }
            // The queue policy's props carry no identifier of its own in these fixtures; the type filter keeps lookups apart anyway.
            assert.deepEqual(index.withIdentifier(queueArn(PHYSICAL.queue), ["aws:sns/topic:Topic"]), []);
            assert.deepEqual(index.ofType("aws:ec2/instance:Instance"), []);
        });

        it("copies props out of the proxy, unknowns kept as sentinels", async () => {
            const index = await indexOf(pipeline("preview"));
            const queue = index.all.find((r) => r.name === "orders-queue")!;
            assert.equal(queue.props.arn, UNKNOWN);
            assert.equal(queue.props.name, PHYSICAL.queue);
            assert.deepEqual(index.withIdentifier(UNKNOWN, ["aws:sqs/queue:Queue"]), []);
        });

        it("never throws on resources of the wrong shape", () => {
            const odd = [null, {}, { type: 7, urn: null, props: null }, { type: "aws:sqs/queue:Queue", urn: "u", props: "x", propertyDependencies: "y" }];
            const index = StackIndex.of(odd as unknown as PolicyResource[]);
            assert.equal(index.all.length, 4);
            assert.equal(index.resolve(index.all[3], "redrivePolicy", UNKNOWN, ["aws:sqs/queue:Queue"]).kind, "unresolved");
            assert.equal(StackIndex.of(undefined).all.length, 0);
        });
    });

    describe("resolve", () => {
        it("follows a known value to the resource it names", async () => {
            const index = await indexOf(pipeline("deployed"));
            const mapping = index.all.find((r) => r.name === "orders-mapping")!;
            const reference = index.resolve(mapping, "eventSourceArn", mapping.props.eventSourceArn, ["aws:sqs/queue:Queue"]);
            assert.equal(reference.kind, "resources");
            assert.deepEqual(reference.kind === "resources" && [reference.targets.map((t) => t.name), reference.viaDependencies], [["orders-queue"], false]);
        });

        it("follows an unknown value through propertyDependencies, filtered by type", async () => {
            const index = await indexOf(pipeline("preview"));
            const queuePolicy = index.all.find((r) => r.name === "orders-queue-policy")!;
            const queue = index.resolve(queuePolicy, "policy", UNKNOWN, ["aws:sqs/queue:Queue"]);
            const topic = index.resolve(queuePolicy, "policy", UNKNOWN, ["aws:sns/topic:Topic"]);
            assert.deepEqual(queue.kind === "resources" && [queue.targets.map((t) => t.name), queue.viaDependencies], [["orders-queue"], true]);
            assert.deepEqual(topic.kind === "resources" && topic.targets.map((t) => t.name), ["orders-events"]);
            assert.equal(index.resolve(queuePolicy, "policy", UNKNOWN, ["aws:lambda/function:Function"]).kind, "unresolved");
        });

        it("tells external, absent and other spellings apart", async () => {
            const index = await indexOf(dependencies(pipeline("deployed"), "orders-mapping", {}));
            const mapping = index.all.find((r) => r.name === "orders-mapping")!;
            assert.deepEqual(index.resolve(mapping, "eventSourceArn", queueArn("elsewhere"), ["aws:sqs/queue:Queue"]), { kind: "external", value: queueArn("elsewhere") });
            for (const none of [undefined, null, "", 42, {}]) {
                assert.deepEqual(index.resolve(mapping, "eventSourceArn", none, ["aws:sqs/queue:Queue"]), { kind: "none" });
            }
            const qualified = `${functionArn(PHYSICAL.consumer)}:live`;
            const byName = index.resolve(mapping, "functionName", qualified, ["aws:lambda/function:Function"]);
            assert.deepEqual(byName.kind === "resources" && [byName.targets.map((t) => t.name), byName.viaDependencies], [["orders-consumer"], false]);
        });

        it("follows the dependencies of a known value that names nothing here", async () => {
            const index = await indexOf(pipeline("deployed"));
            const mapping = index.all.find((r) => r.name === "orders-mapping")!;
            const reference = index.resolve(mapping, "eventSourceArn", queueArn("elsewhere"), ["aws:sqs/queue:Queue"]);
            assert.deepEqual(reference.kind === "resources" && [reference.targets.map((t) => t.name), reference.viaDependencies], [["orders-queue"], true]);
        });

        it("lists a property's dependencies of the wanted types only once each", async () => {
            const fixtures = dependencies(pipeline("preview"), "orders-queue-policy", { policy: ["orders-queue", "orders-queue", "orders-events"] });
            const index = await indexOf(fixtures);
            const queuePolicy = index.all.find((r) => r.name === "orders-queue-policy")!;
            assert.deepEqual(index.dependencies(queuePolicy, "policy", ["aws:sqs/queue:Queue", "aws:sns/topic:Topic"]).map((r) => r.name), ["orders-queue", "orders-events"]);
            assert.deepEqual(index.dependencies(queuePolicy, "nothing", ["aws:sqs/queue:Queue"]), []);
        });
    });

    // How the cost grows with the stack is measured by `npm run bench` (growth1kTo10k, ratio to a
    // null pack), not timed here: a timed test fails on a busy machine, not on a slow policy.
    describe("scale: every stack policy judges a 10,000-resource stack", () => {
        const stackPolicies: StackValidationPolicy[] = [
            sqsQueueAlarmRequired,
            sqsDeadLetterQueueRequired,
            sqsQueueTlsOnly,
            sqsVisibilityTimeoutCoversConsumer,
            snsTopicTlsOnly,
            snsSqsSubscriptionDeliverable,
            lambdaSqsPartialBatchResponse,
            lambdaErrorsAlarmRequired,
        ];
        const stackOf = (copies: number, phase: "deployed" | "preview") =>
            Array.from({ length: copies }, (_, i) => pipeline(phase, String(i))).flat();

        for (const phase of ["deployed", "preview"] as const) {
            it(`judges 10,000 resources (${phase}) without false violations`, async function () {
                this.timeout(120_000);
                const large = stackOf(834, phase);
                assert.ok(large.length >= 10_000);
                for (const policy of stackPolicies) {
                    const violations = await validateStack(policy, large);
                    assertRan(violations);
                    assert.deepEqual(violations, [], policy.name);
                }
            });
        }
    });
});

const QUEUE = "aws:sqs/queue:Queue";
const urn = (name: string) => `urn:pulumi:dev::p::${QUEUE}::${name}`;

/** A resource as the engine might send it, fields possibly missing. */
const resource = (fields: Record<string, unknown>) => fields as unknown as PolicyResource;

describe("StackIndex: resources as the engine sends them", () => {
    it("indexes a resource's own name, else the last part of its URN, else nothing", () => {
        const index = StackIndex.of([
            resource({ type: QUEUE, urn: urn("from-urn"), name: "own-name", props: {} }),
            resource({ type: QUEUE, urn: urn("from-urn-2"), props: {} }),
            resource({ props: {} }),
        ]);
        assert.deepEqual(
            index.all.map((r) => [r.type, r.urn, r.name]),
            [
                [QUEUE, urn("from-urn"), "own-name"],
                [QUEUE, urn("from-urn-2"), "from-urn-2"],
                ["", "", ""],
            ],
        );
    });

    it("resolves an unknown value through dependencies, skipping entries that are not resources", () => {
        const dlq = resource({ type: QUEUE, urn: urn("dlq"), name: "dlq", props: {} });
        const queue = resource({ type: QUEUE, urn: urn("queue"), name: "queue", props: { redrivePolicy: UNKNOWN }, propertyDependencies: { redrivePolicy: [null, { urn: 42 }, dlq] } });
        const index = StackIndex.of([dlq, queue]);
        const reference = index.resolve(index.byUrn(urn("queue"))!, "redrivePolicy", UNKNOWN, [QUEUE]);
        assert.deepEqual(reference.kind === "resources" ? reference.targets.map((t) => t.name) : reference, ["dlq"]);
    });

    for (const propertyDependencies of [undefined, null, "redrivePolicy"]) {
        it(`treats propertyDependencies = ${JSON.stringify(propertyDependencies)} as none: the unknown value is unresolved`, () => {
            const queue = resource({ type: QUEUE, urn: urn("queue"), name: "queue", props: { redrivePolicy: UNKNOWN }, propertyDependencies });
            const index = StackIndex.of([queue]);
            assert.deepEqual(index.resolve(index.byUrn(urn("queue"))!, "redrivePolicy", UNKNOWN, [QUEUE]), { kind: "unresolved" });
        });
    }
});

describe("StackIndex.resolve: the order in which a reference is related", () => {
    const TOPIC = "aws:sns/topic:Topic";
    const provider = (region: string) => ({ type: "pulumi:providers:aws", urn: `urn:pulumi:dev::p::pulumi:providers:aws::${region}`, name: region, props: { region } });
    const queue = (name: string, props: Record<string, unknown>, region = "eu-west-1") =>
        resource({ type: QUEUE, urn: urn(name), name, props: { name, ...props }, provider: provider(region) });
    const source = (dependsOn: PolicyResource[] = []) =>
        resource({ type: "aws:lambda/eventSourceMapping:EventSourceMapping", urn: "urn:pulumi:dev::p::m::m", name: "m", props: {}, propertyDependencies: { eventSourceArn: dependsOn } });
    const resolveIn = (resources: PolicyResource[], value: unknown, types = [QUEUE]) => {
        const index = StackIndex.of(resources);
        const reference = index.resolve(index.byUrn("urn:pulumi:dev::p::m::m")!, "eventSourceArn", value, types);
        return reference.kind === "resources" ? [reference.targets.map((t) => t.name), reference.viaDependencies] : reference.kind;
    };
    const billing = queue("billing", { arn: UNKNOWN, url: UNKNOWN });
    const other = queue("other", { arn: UNKNOWN });

    it("1. a known identifier of the wanted type, or the name an AWS identifier carries where the location agrees", () => {
        assert.deepEqual(resolveIn([billing, other, source([other])], "arn:aws:sqs:eu-west-1:123456789012:billing"), [["billing"], false]);
        assert.deepEqual(resolveIn([billing, source()], "https://sqs.eu-west-1.amazonaws.com/123456789012/billing"), [["billing"], false]);
        const deployed = queue("billing", { arn: "arn:aws:sqs:eu-west-1:123456789012:billing" });
        assert.deepEqual(resolveIn([deployed, source()], "arn:aws:sqs:eu-west-1:123456789012:billing"), [["billing"], false]);
        // Any identifier of its own, its bare name included, whatever it parses as.
        assert.deepEqual(resolveIn([billing, source([other])], "billing"), [["billing"], false]);
    });

    it("2. a known identifier naming a resource of that name in another account or region is external, whatever the dependencies say", () => {
        assert.equal(resolveIn([billing, source([billing])], "arn:aws:sqs:us-west-2:123456789012:billing"), "external");
        const anywhere = resource({ type: QUEUE, urn: urn("anywhere"), name: "anywhere", props: { name: "anywhere" } });
        assert.equal(resolveIn([billing, anywhere, source([anywhere])], "arn:aws:sqs:us-west-2:123456789012:billing"), "external");
        const deployed = queue("billing", { arn: "arn:aws:sqs:eu-west-1:123456789012:billing" });
        assert.equal(resolveIn([deployed, source([deployed])], "arn:aws:sqs:eu-west-1:999999999999:billing"), "external");
    });

    it("3. otherwise the dependencies, of the wanted types and (for an AWS identifier) of a location that may be its", () => {
        assert.deepEqual(resolveIn([billing, source([billing])], "arn:aws:sqs:eu-west-1:123456789012:renamed"), [["billing"], true]);
        assert.deepEqual(resolveIn([billing, source([billing])], "billing-from-config"), [["billing"], true]);
        assert.deepEqual(resolveIn([billing, source([billing])], UNKNOWN), [["billing"], true]);
        assert.equal(resolveIn([billing, source([billing])], "arn:aws:sqs:us-west-2:123456789012:renamed"), "external");
    });

    it("4. a known value naming nothing is external; an unknown one without dependencies unresolved; none is none", () => {
        assert.equal(resolveIn([billing, source()], "arn:aws:sqs:eu-west-1:123456789012:renamed"), "external");
        assert.equal(resolveIn([billing, source()], UNKNOWN), "unresolved");
        assert.equal(resolveIn([billing, source([billing])], ""), "none");
    });

    it("never relates a resource of another type by its name, and agrees on any part not known yet", () => {
        const topic = resource({ type: TOPIC, urn: "urn:pulumi:dev::p::t::billing", name: "billing", props: { name: "billing" } });
        assert.equal(resolveIn([topic, source()], "arn:aws:sqs:eu-west-1:123456789012:billing"), "external");
        assert.equal(resolveIn([billing, source()], "arn:aws:sns:eu-west-1:123456789012:billing"), "external");
        assert.equal(resolveIn([topic, source()], "arn:aws:sns:eu-west-1:123456789012:billing"), "external");
        const fn = resource({ type: "aws:lambda/function:Function", urn: "urn:pulumi:dev::p::f::billing", name: "billing", props: { name: "billing" } });
        assert.equal(resolveIn([fn, source()], "billing"), "external");
        // An identifier of another type says nothing of where the dependencies live.
        assert.deepEqual(resolveIn([billing, source([billing])], "arn:aws:sns:us-west-2:999999999999:elsewhere"), [["billing"], true]);
        const nowhere = resource({ type: QUEUE, urn: urn("billing"), name: "billing", props: { name: "billing" } });
        assert.deepEqual(resolveIn([nowhere, source()], "arn:aws-cn:sqs:cn-north-1:999999999999:billing"), [["billing"], false]);
    });

    it("reads where a resource lives from its own ARN or URL once known, else from its provider's region", () => {
        const index = StackIndex.of([
            queue("a", { arn: "arn:aws:sqs:ap-south-1:111111111111:a" }),
            queue("b", { url: "https://sqs.sa-east-1.amazonaws.com/222222222222/b" }),
            queue("c", { arn: UNKNOWN }),
            resource({ type: QUEUE, urn: urn("d"), name: "d", props: {}, provider: { props: null } }),
        ]);
        const location = (name: string) => index.locationOf(index.byUrn(urn(name))!);
        assert.deepEqual([location("a").region, location("a").account], ["ap-south-1", "111111111111"]);
        assert.deepEqual([location("b").region, location("b").account], ["sa-east-1", "222222222222"]);
        assert.deepEqual(location("c"), { region: "eu-west-1" });
        assert.deepEqual(location("d"), { region: undefined });
    });
});
