import assert from "node:assert/strict";
import { logRetentionRequired } from "../../../policies/logs/log-retention-required";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

function logGroup(retentionInDays: unknown = 30): Fixture {
    return { type: "aws:cloudwatch/logGroup:LogGroup", props: { name: "/aws/lambda/orders", retentionInDays } };
}

describe("log-retention-required", () => {
    it("is named, described and mandatory", () => {
        assert.equal(logRetentionRequired.name, "log-retention-required");
        assert.match(logRetentionRequired.description, /forever/);
        assert.equal(logRetentionRequired.enforcementLevel, "mandatory");
        assert.equal(logRetentionRequired.configSchema?.properties?.maxRetentionDays?.default, 3653);
    });

    describe("compliance", () => {
        it("a log group with a retention passes", async () => {
            assert.deepEqual(await validateResource(logRetentionRequired, logGroup()), []);
        });

        it("the longest retention allowed passes", async () => {
            assert.deepEqual(await validateResource(logRetentionRequired, logGroup(3653)), []);
            assert.deepEqual(await validateResource(logRetentionRequired, logGroup(90), { config: { maxRetentionDays: 90 } }), []);
        });

        it("other types are not applicable", async () => {
            assert.deepEqual(await validateResource(logRetentionRequired, { type: "aws:sqs/queue:Queue", props: {} }), []);
        });
    });

    describe("noncompliance", () => {
        it("no retention: logs never expire", async () => {
            const unset: Fixture = { type: "aws:cloudwatch/logGroup:LogGroup", props: { name: "/aws/lambda/orders" } };
            const violations = await validateResource(logRetentionRequired, unset);
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /retentionInDays is unset.*never expires.*Set retentionInDays/);
        });

        it("retention 0: logs never expire", async () => {
            assert.match((await validateResource(logRetentionRequired, logGroup(0)))[0].message, /retentionInDays is 0/);
        });

        it("a retention above config maxRetentionDays", async () => {
            const violations = await validateResource(logRetentionRequired, logGroup(365), { config: { maxRetentionDays: 90 } });
            assert.match(violations[0].message, /365 days, longer than the 90 days/);
        });

        it("a retention above the default maximum", async () => {
            assert.equal((await validateResource(logRetentionRequired, logGroup(4000))).length, 1);
        });
    });

    describe("unknown values", () => {
        it("an unknown retention never violates", async () => {
            assert.deepEqual(await validateResource(logRetentionRequired, logGroup(UNKNOWN)), []);
        });
    });

    describe("malformed values", () => {
        it("a numeric string counts as its number", async () => {
            assert.deepEqual(await validateResource(logRetentionRequired, logGroup("14")), []);
        });

        it("non-numbers, negatives and null violate without throwing", async () => {
            for (const retention of ["two weeks", -1, null, {}, [], true]) {
                const violations = await validateResource(logRetentionRequired, logGroup(retention));
                assert.equal(violations.length, 1, JSON.stringify(retention));
            }
        });

        it("a malformed maxRetentionDays config falls back to the default", async () => {
            assert.deepEqual(await validateResource(logRetentionRequired, logGroup(3653), { config: { maxRetentionDays: "lots" } }), []);
        });
    });
});
