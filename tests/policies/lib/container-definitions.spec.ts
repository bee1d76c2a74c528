import assert from "node:assert/strict";
import { containerLabel, readContainerDefinitions } from "../../../policies/lib/container-definitions";
import { UNKNOWN } from "../harness";

describe("container-definitions", () => {
    it("reads the JSON string the provider takes, and an array as is", () => {
        assert.deepEqual(readContainerDefinitions('[{"name":"worker"}]'), { status: "known", containers: [{ name: "worker" }] });
        assert.deepEqual(readContainerDefinitions([{ name: "worker" }, "junk", null]), { status: "known", containers: [{ name: "worker" }] });
    });

    it("tells absent, unknown and malformed apart", () => {
        assert.deepEqual(readContainerDefinitions(undefined), { status: "absent" });
        assert.deepEqual(readContainerDefinitions(null), { status: "absent" });
        assert.deepEqual(readContainerDefinitions(UNKNOWN), { status: "unknown" });
        for (const value of ["[{", '{"name":"worker"}', 42, true, {}]) {
            assert.deepEqual(readContainerDefinitions(value), { status: "malformed" }, String(value));
        }
    });

    it("labels a container by name, or by position", () => {
        assert.equal(containerLabel({ name: "worker" }, 0), "'worker'");
        assert.equal(containerLabel({}, 1), "#2");
        assert.equal(containerLabel({ name: UNKNOWN }, 0), "#1");
    });
});
