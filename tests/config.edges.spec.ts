import assert from "node:assert/strict";
import { ConfigError, parseStackConfig } from "../config";

const BASE = { "event-pipeline:environment": "dev", "event-pipeline:owner": "platform-team" };

describe("config: filter policies", () => {
    it("accepts an attribute mapped to a nested object (MessageBody scope matches nested keys)", () => {
        const filterPolicy = { detail: { type: ["order.created"] }, source: ["shop"] };
        const config = parseStackConfig({ ...BASE, "event-pipeline:consumers": JSON.stringify([{ name: "orders", kind: "lambda", filterPolicy }]) }, "dev");
        assert.deepEqual(config.consumers[0]!.filterPolicy, filterPolicy);
    });

    it("rejects an attribute mapped to null, naming the filter policy", () => {
        assert.throws(
            () => parseStackConfig({ ...BASE, "event-pipeline:consumers": JSON.stringify([{ name: "orders", kind: "lambda", filterPolicy: { type: null } }]) }, "dev"),
            (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.problems[0]!.startsWith("event-pipeline:consumers[0].filterPolicy = "),
        );
    });
});

describe("config: worker task counts", () => {
    it("accepts maxTasks equal to minTasks (a fixed number of tasks)", () => {
        const config = parseStackConfig({ ...BASE, "event-pipeline:worker": JSON.stringify({ minTasks: 3, maxTasks: 3 }) }, "dev");
        assert.equal(config.worker.maxTasks, 3);
    });
});

describe("config: the error", () => {
    it("counts one problem in the singular, and is named ConfigError", () => {
        try {
            parseStackConfig({ ...BASE, "event-pipeline:logRetentionDays": "15" }, "dev");
            assert.fail("accepted");
        } catch (e) {
            assert.ok(e instanceof ConfigError);
            assert.equal(e.name, "ConfigError");
            assert.match(e.message, /^Invalid stack config \(1 problem\):\n {2}- event-pipeline:logRetentionDays = 15: /);
        }
    });
});
