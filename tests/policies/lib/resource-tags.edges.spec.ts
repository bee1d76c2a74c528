import assert from "node:assert/strict";
import { tagValueState } from "../../../policies/lib/resource-tags";

describe("tagValueState: numbers and booleans carry a value", () => {
    it("42, 0, true and false are set; null and objects are empty", () => {
        assert.deepEqual([42, 0, true, false, null, {}].map(tagValueState), ["set", "set", "set", "set", "empty", "empty"]);
    });
});
