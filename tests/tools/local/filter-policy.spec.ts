import assert from "node:assert/strict";
import { filterPolicyMatches, type PublishedMessage } from "../../../tools/local/filter-policy";

const event = {
    specversion: "1.0",
    id: "e-1",
    source: "/orders/api",
    type: "order.created",
    data: { orderId: "42", total: 120, tags: ["gift", "express"], customer: { tier: "gold" }, lines: [{ sku: "a-1" }, { sku: "b-2" }], note: null },
};
const body: PublishedMessage = { body: JSON.stringify(event), attributes: { type: "order.created", source: "/orders/api", priority: 3 } };

const onBody = (policy: Record<string, unknown>) => filterPolicyMatches(policy, "MessageBody", body);
const onAttributes = (policy: Record<string, unknown>) => filterPolicyMatches(policy, "MessageAttributes", body);

describe("tools/local/filter-policy: SNS filter policies as AWS evaluates them", () => {
    it("matches exact values, any of a list, on every key (AND)", () => {
        assert.equal(onBody({ type: ["order.created"] }), true);
        assert.equal(onBody({ type: ["order.paid", "order.created"] }), true);
        assert.equal(onBody({ type: ["order.paid"] }), false);
        assert.equal(onBody({ type: ["order.created"], source: ["/billing"] }), false);
    });

    it("is case-sensitive on keys: Type and eventType match nothing in a CloudEvent", () => {
        assert.equal(onBody({ Type: ["order.created"] }), false);
        assert.equal(onBody({ eventType: ["order.created"] }), false);
    });

    it("follows nested keys, array elements and arrays of objects in the body", () => {
        assert.equal(onBody({ data: { customer: { tier: ["gold"] } } }), true);
        assert.equal(onBody({ data: { tags: ["express"] } }), true);
        assert.equal(onBody({ data: { lines: { sku: ["b-2"] } } }), true);
        assert.equal(onBody({ data: { lines: { sku: ["c-3"] } } }), false);
        assert.equal(onBody({ data: { note: [null] } }), true);
    });

    it("evaluates the operators", () => {
        assert.equal(onBody({ type: [{ prefix: "order." }] }), true);
        assert.equal(onBody({ type: [{ suffix: ".paid" }] }), false);
        assert.equal(onBody({ type: [{ "equals-ignore-case": "ORDER.CREATED" }] }), true);
        assert.equal(onBody({ type: [{ wildcard: "order.*d" }] }), true);
        assert.equal(onBody({ type: [{ "anything-but": ["order.paid"] }] }), true);
        assert.equal(onBody({ type: [{ "anything-but": { prefix: "order." } }] }), false);
        assert.equal(onBody({ subject: [{ "anything-but": "x" }] }), false, "anything-but never matches an absent key");
        assert.equal(onBody({ data: { total: [{ numeric: [">", 100, "<=", 120] }] } }), true);
        assert.equal(onBody({ data: { total: [{ numeric: ["<", 100] }] } }), false);
        assert.equal(onBody({ subject: [{ exists: false }] }), true);
        assert.equal(onBody({ subject: [{ exists: true }] }), false);
    });

    it("matches $or alternatives", () => {
        assert.equal(onBody({ $or: [{ type: ["order.paid"] }, { source: ["/orders/api"] }] }), true);
        assert.equal(onBody({ $or: [{ type: ["order.paid"] }, { source: ["/billing"] }] }), false);
    });

    it("never matches a body that is not a JSON object", () => {
        assert.equal(filterPolicyMatches({ type: [{ exists: false }] }, "MessageBody", { body: "poison", attributes: {} }), false);
        assert.equal(filterPolicyMatches({ type: [{ exists: false }] }, "MessageBody", { body: "[1]", attributes: {} }), false);
    });

    it("matches message attributes in the MessageAttributes scope, numbers as numbers", () => {
        assert.equal(onAttributes({ type: ["order.created"] }), true);
        assert.equal(onAttributes({ priority: [{ numeric: [">=", 3] }] }), true);
        assert.equal(onAttributes({ data: { orderId: ["42"] } }), false);
    });

    it("says it cannot tell (undefined) for an operator it does not evaluate, or a malformed policy", () => {
        assert.equal(onAttributes({ source: [{ cidr: "10.0.0.0/24" }] }), undefined);
        assert.equal(onBody({ type: "order.created" }), undefined);
        assert.equal(onBody({ data: { total: [{ numeric: ["~", 1] }] } }), undefined);
    });
});
