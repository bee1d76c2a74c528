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

async function messageFor(retentionInDays: unknown, config?: Record<string, unknown>): Promise<string> {
    const violations = await validateResource(logRetentionRequired, { type: "aws:cloudwatch/logGroup:LogGroup", props: { name: "orders", retentionInDays } }, { config });
    assert.equal(violations.length, 1, JSON.stringify(violations));
    return violations[0]!.message;
}

describe("log-retention-required: what each message says", () => {
    it("null is unset: the log group never expires its logs", async () => {
        assert.match(await messageFor(null), /^retentionInDays is unset, so the log group never expires its logs\. Set retentionInDays to one of CloudWatch's values/);
    });

    it("0 never expires either, and says so", async () => {
        assert.match(await messageFor(0), /^retentionInDays is 0, so the log group never expires its logs\./);
    });

    it("a negative or non-numeric value is shown as written", async () => {
        assert.match(await messageFor(-7), /^retentionInDays is -7, not a positive number of days\./);
        assert.match(await messageFor("forever"), /^retentionInDays is "forever", not a positive number of days\./);
    });

    it("names the configured maximum in both messages", async () => {
        assert.match(await messageFor(null, { maxRetentionDays: 30 }), /no greater than 30\.$/);
        assert.match(await messageFor(90, { maxRetentionDays: 30 }), /longer than the 30 days this policy allows\. Lower retentionInDays to at most 30\.$/);
    });
});
