import assert from "node:assert/strict";
import { iamNoWildcardActions as policy } from "../../../policies/iam/iam-no-wildcard-actions";
import { validateResource } from "../harness";

const WILDCARD = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:*", Resource: "*" }] });

describe("iam-no-wildcard-actions: every identity policy type, labelled", () => {
    for (const type of ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"]) {
        it(`${type}: judged, reported as "The policy"`, async () => {
            const violations = await validateResource(policy, { type, props: { policy: WILDCARD } });
            assert.ok(violations.length > 0, `${type} was not judged`);
            assert.ok(violations.every((v) => v.message.startsWith("The policy, statement 1: ")), JSON.stringify(violations));
        });
    }

    it("a role's inline policies: by name, or by position (counted from 1) when unnamed", async () => {
        const violations = await validateResource(policy, {
            type: "aws:iam/role:Role",
            props: { inlinePolicies: [{ name: "reader", policy: WILDCARD }, { policy: WILDCARD }] },
        });
        const labels = [...new Set(violations.map((v) => v.message.split(",")[0]))];
        assert.deepEqual(labels, ["Inline policy 'reader'", "Inline policy #2"]);
    });
});
