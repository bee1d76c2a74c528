import assert from "node:assert/strict";
import { unknownCheckingProxy } from "@pulumi/policy";
import { providerDefaultTags, readTagSet, tagValueState } from "../../../policies/lib/resource-tags";
import { UNKNOWN } from "../harness";

function provider(props: Record<string, unknown>) {
    return { type: "pulumi:providers:aws", name: "default", urn: "urn", props: unknownCheckingProxy(props) };
}

describe("resource-tags", () => {
    it("reads a map, a key/value list and a JSON string", () => {
        assert.deepEqual(readTagSet({ Owner: "team" }), { status: "known", tags: new Map([["Owner", "team"]]) });
        assert.deepEqual(readTagSet([{ key: "Owner", value: "team", propagateAtLaunch: true }]), {
            status: "known",
            tags: new Map([["Owner", "team"]]),
        });
        assert.deepEqual(readTagSet('{"Owner":"team"}'), { status: "known", tags: new Map([["Owner", "team"]]) });
    });

    it("says unknown for an unknown map or a list entry with an unknown key", () => {
        assert.deepEqual(readTagSet(UNKNOWN), { status: "unknown" });
        assert.deepEqual(readTagSet([{ key: UNKNOWN, value: "x" }]), { status: "unknown" });
    });

    it("says none for absent or malformed tags", () => {
        for (const value of [undefined, null, 7, "not json", true]) {
            assert.deepEqual(readTagSet(value), { status: "none" }, String(value));
        }
    });

    it("reads the provider's defaultTags as the JSON string the engine sends, or as an object", () => {
        const expected = { status: "known", tags: new Map([["Project", "p"]]) };
        assert.deepEqual(providerDefaultTags(provider({ defaultTags: '{"tags":{"Project":"p"}}' })), expected);
        assert.deepEqual(providerDefaultTags(provider({ defaultTags: { tags: { Project: "p" } } })), expected);
    });

    it("reads unknown, malformed and missing defaultTags without throwing", () => {
        assert.deepEqual(providerDefaultTags(provider({ defaultTags: UNKNOWN })), { status: "unknown" });
        assert.deepEqual(providerDefaultTags(provider({ defaultTags: '{"tags":' })), { status: "none" });
        assert.deepEqual(providerDefaultTags(provider({ defaultTags: "[]" })), { status: "none" });
        assert.deepEqual(providerDefaultTags(provider({ region: "us-east-1" })), { status: "none" });
        assert.deepEqual(providerDefaultTags(undefined), { status: "none" });
        assert.deepEqual(providerDefaultTags({ props: null }), { status: "none" });
    });

    it("tells set, empty and unknown values apart", () => {
        assert.equal(tagValueState("team"), "set");
        assert.equal(tagValueState(3), "set");
        assert.equal(tagValueState(""), "empty");
        assert.equal(tagValueState("   "), "empty");
        assert.equal(tagValueState(null), "empty");
        assert.equal(tagValueState({}), "empty");
        assert.equal(tagValueState(UNKNOWN), "unknown");
    });
});

describe("tagValueState: numbers and booleans carry a value", () => {
    it("42, 0, true and false are set; null and objects are empty", () => {
        assert.deepEqual([42, 0, true, false, null, {}].map(tagValueState), ["set", "set", "set", "set", "empty", "empty"]);
    });
});
