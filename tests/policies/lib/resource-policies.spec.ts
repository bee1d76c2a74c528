import assert from "node:assert/strict";
import { parsePolicyDocument } from "../../../policies/lib/policy-document";
import { documentsFor, judgeDocuments, QUEUE_POLICIES, resourcePolicies } from "../../../policies/lib/resource-policies";
import { StackIndex } from "../../../policies/lib/stack";
import { FixtureResource, serverResources, UNKNOWN } from "../harness";
import { change, dependencies, pipeline, queueUrl } from "../pipeline-fixtures";

const indexOf = async (fixtures: FixtureResource[]) => StackIndex.of(await serverResources(fixtures));
const urnOfName = (index: StackIndex, name: string) => index.all.find((r) => r.name === name)!.urn;

describe("policies/lib/resource-policies", () => {
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
