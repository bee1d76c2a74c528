import assert from "node:assert/strict";
import { logRetentionRequired as policy } from "../../../policies/logs/log-retention-required";
import { validateResource } from "../harness";

async function messageFor(retentionInDays: unknown, config?: Record<string, unknown>): Promise<string> {
    const violations = await validateResource(policy, { type: "aws:cloudwatch/logGroup:LogGroup", props: { name: "orders", retentionInDays } }, { config });
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
