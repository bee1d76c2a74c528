import assert from "node:assert/strict";
import { asArray, knownNumber, parseJsonValue, plain } from "../../../policies/lib/values";
import { UNKNOWN } from "../harness";

describe("policies/lib/values", () => {
    it("plain() copies a cyclic structure without running away (a depth bound)", () => {
        const cyclic: Record<string, unknown> = { name: "loop" };
        cyclic.self = cyclic;
        const list: unknown[] = [1];
        list.push(list);
        assert.doesNotThrow(() => plain(cyclic));
        assert.doesNotThrow(() => plain(list));
        assert.equal((plain(cyclic) as Record<string, unknown>).name, "loop");
    });

    it("knownNumber: blank text is no number", () => {
        assert.equal(knownNumber(""), undefined);
        assert.equal(knownNumber("   "), undefined);
        assert.equal(knownNumber(" 42 "), 42);
    });

    it("asArray: absent, null and unknown are empty lists", () => {
        assert.deepEqual(asArray(undefined), []);
        assert.deepEqual(asArray(null), []);
        assert.deepEqual(asArray(UNKNOWN), []);
        assert.deepEqual(asArray("x"), ["x"]);
    });

    it("parseJsonValue: text that is not JSON, and null, are nothing", () => {
        assert.equal(parseJsonValue("not json"), undefined);
        assert.equal(parseJsonValue(null), undefined);
        assert.deepEqual(parseJsonValue('{"a":1}'), { a: 1 });
        assert.deepEqual(parseJsonValue({ a: 1 }), { a: 1 });
    });
});
