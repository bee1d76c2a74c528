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

describe("iam-no-wildcard-actions: what a wildcard is, and what the message says", () => {
    const messagesFor = async (statement: Record<string, unknown>, config?: Record<string, unknown>) =>
        (
            await validateResource(
                policy,
                { type: "aws:iam/policy:Policy", props: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] }) } },
                { config },
            )
        ).map((v) => v.message);

    it("'*' is every action; a service wildcard is every action of the service", async () => {
        assert.deepEqual(await messagesFor({ Action: "*", Resource: "arn:aws:sqs:eu-west-1:123456789012:orders" }), [
            "The policy, statement 1: allows '*', every action. List the actions the code calls (e.g. sqs:ReceiveMessage, sqs:DeleteMessage) instead.",
        ]);
        const [padded] = await messagesFor({ Action: " * ", Resource: "arn:aws:sqs:eu-west-1:123456789012:orders" });
        assert.match(padded!, /^The policy, statement 1: allows ' \* ', every action\. /);
        const [mixed] = await messagesFor({ Action: ["*", " sqs:* "], Resource: "arn:aws:sqs:eu-west-1:123456789012:orders" });
        assert.match(mixed!, /^The policy, statement 1: allows '\*', ' sqs:\* ', every action of the service\. /);
    });

    it("a wildcard must be the whole action after the service", async () => {
        for (const action of ["sqs:*Message", "sqs:Get*", "a:b:*"]) {
            const messages = await messagesFor({ Action: action, Resource: "arn:aws:sqs:eu-west-1:123456789012:orders" });
            assert.deepEqual(messages, [], action);
        }
    });

    it("names the actions that need narrower resources than \"*\"", async () => {
        assert.deepEqual(await messagesFor({ Action: ["sqs:SendMessage", "xray:PutTraceSegments"], Resource: "*" }, { resourceWildcardActions: ["XRay:PutTraceSegments"] }), [
            "The policy, statement 1: allows 'sqs:SendMessage' on Resource \"*\". Name the ARNs these actions need (the queue, the table, the log group); " +
                "only actions listed in this policy's resourceWildcardActions may use \"*\".",
        ]);
    });
});
