import assert from "node:assert/strict";
import { iamNoWildcardActions } from "../../../policies/iam/iam-no-wildcard-actions";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

const LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders:*";
const QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:orders";

/** The consumer role's statements: logging to its log group, reading its queue, metrics and traces. */
function statements(): Record<string, unknown>[] {
    return [
        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: LOG_GROUP_ARN },
        { Sid: "Consume", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource: QUEUE_ARN },
        { Effect: "Allow", Action: ["cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    ];
}

function document(statementList: unknown = statements()): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statementList });
}

function rolePolicy(policy: unknown = document()): Fixture {
    return { type: "aws:iam/rolePolicy:RolePolicy", props: { role: UNKNOWN, policy } };
}

function withStatement(statement: Record<string, unknown>): Fixture {
    return rolePolicy(document([...statements(), statement]));
}

const TRUST_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

describe("iam-no-wildcard-actions", () => {
    it("is named, described and mandatory", () => {
        assert.equal(iamNoWildcardActions.name, "iam-no-wildcard-actions");
        assert.match(iamNoWildcardActions.description, /privilege/);
        assert.equal(iamNoWildcardActions.enforcementLevel, "mandatory");
        assert.deepEqual(iamNoWildcardActions.configSchema?.properties?.resourceWildcardActions?.default, [
            "cloudwatch:PutMetricData",
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "ecr:GetAuthorizationToken",
        ]);
    });

    describe("compliance", () => {
        it("a role policy with named actions on named resources passes", async () => {
            assert.deepEqual(await validateResource(iamNoWildcardActions, rolePolicy()), []);
        });

        it("managed, user and group policies with the same document pass", async () => {
            for (const type of ["aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"]) {
                assert.deepEqual(await validateResource(iamNoWildcardActions, { type, props: { policy: document() } }), [], type);
            }
        });

        it("a document given as an object rather than a JSON string passes", async () => {
            assert.deepEqual(await validateResource(iamNoWildcardActions, rolePolicy({ Version: "2012-10-17", Statement: statements() })), []);
        });

        it("a role with inline policies and a trust policy passes", async () => {
            const role: Fixture = {
                type: "aws:iam/role:Role",
                props: { assumeRolePolicy: TRUST_POLICY, inlinePolicies: [{ name: "consume", policy: document() }] },
            };
            assert.deepEqual(await validateResource(iamNoWildcardActions, role), []);
        });

        it("Deny statements with wildcards pass", async () => {
            assert.deepEqual(await validateResource(iamNoWildcardActions, withStatement({ Effect: "Deny", Action: "*", Resource: "*" })), []);
        });

        it("a service wildcard on a named resource is still a wildcard, but ecr:GetAuthorizationToken on * passes", async () => {
            assert.deepEqual(await validateResource(iamNoWildcardActions, withStatement({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" })), []);
        });

        it("config resourceWildcardActions extends what may use Resource \"*\" (case-insensitive)", async () => {
            const run = { config: { resourceWildcardActions: ["cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "ec2:describeinstances"] } };
            assert.deepEqual(await validateResource(iamNoWildcardActions, withStatement({ Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" }), run), []);
        });

        it("KMS key policies, queue policies and trust policies are not judged", async () => {
            const keyPolicy = JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
            });
            assert.deepEqual(await validateResource(iamNoWildcardActions, { type: "aws:kms/key:Key", props: { policy: keyPolicy } }), []);
            assert.deepEqual(await validateResource(iamNoWildcardActions, { type: "aws:sqs/queuePolicy:QueuePolicy", props: { policy: keyPolicy } }), []);
            const trust = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "*" }] });
            assert.deepEqual(await validateResource(iamNoWildcardActions, { type: "aws:iam/role:Role", props: { assumeRolePolicy: trust } }), []);
        });
    });

    describe("noncompliance", () => {
        it("Action \"*\"", async () => {
            const violations = await validateResource(iamNoWildcardActions, withStatement({ Effect: "Allow", Action: "*", Resource: QUEUE_ARN }));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /statement 4: allows '\*', every action\. List the actions/);
        });

        it("a service wildcard, in any capitalisation, named by Sid", async () => {
            const violations = await validateResource(iamNoWildcardActions, withStatement({ Sid: "All", Effect: "allow", Action: ["SQS:*"], Resource: QUEUE_ARN }));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /statement 4 \(Sid "All"\): allows 'SQS:\*', every action of the service/);
        });

        it("Allow with NotAction", async () => {
            const violations = await validateResource(iamNoWildcardActions, withStatement({ Effect: "Allow", NotAction: "iam:*", Resource: QUEUE_ARN }));
            assert.match(violations[0].message, /every action except its NotAction list/);
        });

        it("a named action on Resource \"*\"", async () => {
            const violations = await validateResource(iamNoWildcardActions, withStatement({ Effect: "Allow", Action: ["sqs:SendMessage", "xray:PutTraceSegments"], Resource: "*" }));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /allows 'sqs:SendMessage' on Resource "\*"\. Name the ARNs/);
            assert.doesNotMatch(violations[0].message, /xray/);
        });

        it("a partial wildcard on Resource \"*\"", async () => {
            assert.equal((await validateResource(iamNoWildcardActions, withStatement({ Effect: "Allow", Action: "s3:Get*", Resource: ["*"] }))).length, 1);
        });

        it("s3:* on * is one problem (the wildcard), not two", async () => {
            assert.equal((await validateResource(iamNoWildcardActions, withStatement({ Effect: "Allow", Action: "s3:*", Resource: "*" }))).length, 1);
        });

        it("a single statement object instead of a list", async () => {
            assert.equal((await validateResource(iamNoWildcardActions, rolePolicy(JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: QUEUE_ARN } })))).length, 1);
        });

        it("a role's inline policy, named in the message", async () => {
            const role: Fixture = {
                type: "aws:iam/role:Role",
                props: {
                    assumeRolePolicy: TRUST_POLICY,
                    inlinePolicies: [{ name: "consume", policy: document() }, { name: "admin", policy: document([{ Effect: "Allow", Action: "*", Resource: "*" }]) }],
                },
            };
            const violations = await validateResource(iamNoWildcardActions, role);
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /^Inline policy 'admin', statement 1/);
        });

        it("a managed policy", async () => {
            const policy: Fixture = { type: "aws:iam/policy:Policy", props: { policy: document([{ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }]) } };
            assert.equal((await validateResource(iamNoWildcardActions, policy)).length, 1);
        });
    });

    describe("unknown values", () => {
        it("an unknown document, statement part or inline policy list never violates", async () => {
            for (const fixture of [
                rolePolicy(UNKNOWN),
                withStatement({ Effect: "Allow", Action: "sqs:SendMessage", Resource: UNKNOWN }),
                withStatement({ Effect: UNKNOWN, Action: "*", Resource: QUEUE_ARN }),
                withStatement({ Effect: "Allow", Action: [UNKNOWN], Resource: "*" }),
                { type: "aws:iam/role:Role", props: { assumeRolePolicy: TRUST_POLICY, inlinePolicies: UNKNOWN } },
                { type: "aws:iam/role:Role", props: { assumeRolePolicy: TRUST_POLICY, inlinePolicies: [{ name: "x", policy: UNKNOWN }] } },
            ]) {
                assert.deepEqual(await validateResource(iamNoWildcardActions, fixture), [], JSON.stringify(fixture.props));
            }
        });
    });

    describe("malformed values", () => {
        it("non-JSON, wrong types and null never throw", async () => {
            for (const policy of ["{", "not json", 42, null, "[]", JSON.stringify({ Statement: [null, 3, "x"] }), JSON.stringify({ Statement: { Effect: "Allow", Action: 7 } })]) {
                assert.deepEqual(await validateResource(iamNoWildcardActions, rolePolicy(policy)), [], String(policy));
            }
            for (const inlinePolicies of [null, "x", [null, 3, { name: 5, policy: {} }]]) {
                assert.deepEqual(await validateResource(iamNoWildcardActions, { type: "aws:iam/role:Role", props: { inlinePolicies } }), []);
            }
        });

        it("a single action string reads as a list of one; any other resourceWildcardActions allows nothing on \"*\"", async () => {
            const run = { config: { resourceWildcardActions: "cloudwatch:PutMetricData" } };
            assert.match((await validateResource(iamNoWildcardActions, rolePolicy(), run))[0].message, /'xray:PutTraceSegments', 'xray:PutTelemetryRecords' on/);
            const broken = { config: { resourceWildcardActions: 3 } };
            assert.equal((await validateResource(iamNoWildcardActions, rolePolicy(), broken)).length, 1);
        });
    });
});

const WILDCARD = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:*", Resource: "*" }] });

describe("iam-no-wildcard-actions: every identity policy type, labelled", () => {
    for (const type of ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"]) {
        it(`${type}: judged, reported as "The policy"`, async () => {
            const violations = await validateResource(iamNoWildcardActions, { type, props: { policy: WILDCARD } });
            assert.ok(violations.length > 0, `${type} was not judged`);
            assert.ok(violations.every((v) => v.message.startsWith("The policy, statement 1: ")), JSON.stringify(violations));
        });
    }

    it("a role's inline policies: by name, or by position (counted from 1) when unnamed", async () => {
        const violations = await validateResource(iamNoWildcardActions, {
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
                iamNoWildcardActions,
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
