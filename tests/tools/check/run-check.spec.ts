/**
 * The offline check: the real program, the real pack, the same client the command uses. The
 * deliberate misconfigurations break one thing each in the program's recorded graph and expect the
 * named policy to catch it on the resource at fault.
 */
import { strict as assert } from "node:assert";
import { judge, runCheck, InvalidStackConfig, POLICY_PACK_DIR } from "../../../tools/check/run-check";
import { PolicyPackClient, startPolicyPack, Violation } from "../../../tools/analyzer";
import { RecordedResource, runProgram } from "../../../tools/mock-runtime";
import { THIS_PROJECT_ROOT } from "../../../tools/project";
import { readStackConfig } from "../../../tools/stack-files";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const mandatory = (violations: Violation[]) => violations.filter((v) => v.enforcementLevel === "mandatory");

function describeViolations(violations: Violation[]): string {
    return violations.map((v) => `${v.policyName} ${v.enforcementLevel} ${v.urn}: ${v.message.split("\n").pop()}`).join("\n");
}

describe("npm run check: the stacks pass the pack", () => {
    for (const stack of ["dev", "prod"]) {
        for (const preview of [false, true]) {
            it(`${stack}${preview ? " in preview (outputs unknown)" : ""}: zero violations of any level`, async () => {
                const result = await runCheck({ stack, preview });
                assert.ok(result.resources.length > 40, `only ${result.resources.length} resources recorded`);
                assert.ok(result.policies.length >= 23, `the pack served ${result.policies.length} policies`);
                assert.deepEqual(result.violations, [], describeViolations(result.violations));
            });
        }
    }

    it("an unknown stack name says which stacks exist", async () => {
        await assert.rejects(runCheck({ stack: "staging" }), /No stack "staging".*Stacks here: dev, prod/s);
    });

    it("invalid stack config is refused with every bad key named, before anything runs", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "check-config-"));
        fs.copyFileSync(path.join(THIS_PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.writeFileSync(
            path.join(root, "Pulumi.broken.yaml"),
            "config:\n  event-pipeline:environment: dev\n  event-pipeline:owner: team\n  event-pipeline:logRetentionDays: 15\n  event-pipeline:lamda: {}\n",
        );
        await assert.rejects(runCheck({ stack: "broken", root }), (e: Error) => {
            assert.ok(e instanceof InvalidStackConfig);
            assert.match(e.message, /event-pipeline:logRetentionDays = 15/);
            assert.match(e.message, /event-pipeline:lamda: unknown key/);
            return true;
        });
    });
});

type Props = Record<string, unknown>;

/** Applies `edit` to a resource's inputs and outputs alike (what Analyze and AnalyzeStack see). */
function edit(resources: RecordedResource[], match: (r: RecordedResource) => boolean, change: (props: Props) => void): RecordedResource[] {
    const found = resources.filter(match);
    assert.equal(found.length, 1, `expected exactly one resource to edit, found ${found.length}`);
    for (const r of found) {
        change(r.inputs);
        change(r.outputs);
    }
    return resources;
}

function without(resources: RecordedResource[], match: (r: RecordedResource) => boolean): RecordedResource[] {
    const kept = resources.filter((r) => !match(r));
    assert.equal(resources.length - kept.length, 1, "expected to remove exactly one resource");
    return kept;
}

const named = (type: string, name: string) => (r: RecordedResource) => r.type === type && r.name === name;

describe("npm run check: deliberate misconfigurations are caught by the named policy", function () {
    this.timeout(120_000);
    let client: PolicyPackClient;
    let devJson: string;

    before(async () => {
        client = await startPolicyPack(POLICY_PACK_DIR);
        const config = readStackConfig(THIS_PROJECT_ROOT, "dev");
        const run = await runProgram({ stack: "dev", config: config.config });
        devJson = JSON.stringify(run.resources);
    });
    after(async () => client?.close());

    const cases: { what: string; policy: string; at: (r: RecordedResource) => boolean; mutate: (rs: RecordedResource[]) => RecordedResource[] }[] = [
        {
            what: "a queue's age alarm removed",
            policy: "sqs-queue-alarm-required",
            at: named("aws:sqs/queue:Queue", "order-audit"),
            mutate: (rs) => without(rs, named("aws:cloudwatch/metricAlarm:MetricAlarm", "order-audit-age")),
        },
        {
            what: "a /32 CIDR in a security group",
            policy: "no-hardcoded-ips",
            at: named("aws:ec2/securityGroup:SecurityGroup", "order-fulfilment-tasks"),
            mutate: (rs) =>
                edit(rs, named("aws:ec2/securityGroup:SecurityGroup", "order-fulfilment-tasks"), (p) => {
                    p.egress = [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.20.30.40/32"] }];
                }),
        },
        {
            what: "a queue without redrive",
            policy: "sqs-dead-letter-queue-required",
            at: named("aws:sqs/queue:Queue", "order-audit"),
            mutate: (rs) => edit(rs, named("aws:sqs/queue:Queue", "order-audit"), (p) => delete p.redrivePolicy),
        },
        {
            what: "the queue policy that lets the topic send removed",
            policy: "sns-sqs-subscription-deliverable",
            at: named("aws:sns/topicSubscription:TopicSubscription", "order-audit-subscription"),
            mutate: (rs) => without(rs, named("aws:sqs/queuePolicy:QueuePolicy", "order-audit-policy")),
        },
        {
            what: "a function without its errors alarm",
            policy: "lambda-errors-alarm-required",
            at: named("aws:lambda/function:Function", "order-audit"),
            mutate: (rs) => without(rs, named("aws:cloudwatch/metricAlarm:MetricAlarm", "order-audit-errors")),
        },
        {
            what: "a protected resource in dev",
            policy: "disposable-environments",
            at: named("aws:sqs/queue:Queue", "order-audit"),
            mutate: (rs) => {
                rs.find(named("aws:sqs/queue:Queue", "order-audit"))!.protect = true;
                return rs;
            },
        },
        {
            what: "a deprecated Lambda runtime",
            policy: "lambda-runtime-supported",
            at: named("aws:lambda/function:Function", "order-audit"),
            mutate: (rs) => edit(rs, named("aws:lambda/function:Function", "order-audit"), (p) => (p.runtime = "nodejs18.x")),
        },
        {
            what: "a log group that never expires",
            policy: "log-retention-required",
            at: named("aws:cloudwatch/logGroup:LogGroup", "order-audit-logs"),
            mutate: (rs) => edit(rs, named("aws:cloudwatch/logGroup:LogGroup", "order-audit-logs"), (p) => delete p.retentionInDays),
        },
        {
            what: "an event source mapping without partial batch responses",
            policy: "lambda-sqs-partial-batch-response",
            at: named("aws:lambda/eventSourceMapping:EventSourceMapping", "order-audit-mapping"),
            mutate: (rs) => edit(rs, named("aws:lambda/eventSourceMapping:EventSourceMapping", "order-audit-mapping"), (p) => delete p.functionResponseTypes),
        },
        {
            what: "the event topic unencrypted",
            policy: "sns-topic-encrypted",
            at: named("aws:sns/topic:Topic", "events"),
            mutate: (rs) => edit(rs, named("aws:sns/topic:Topic", "events"), (p) => delete p.kmsMasterKeyId),
        },
        {
            what: "a privileged worker container",
            policy: "ecs-no-privileged-containers",
            at: named("aws:ecs/taskDefinition:TaskDefinition", "order-fulfilment"),
            mutate: (rs) =>
                edit(rs, named("aws:ecs/taskDefinition:TaskDefinition", "order-fulfilment"), (p) => {
                    const containers = JSON.parse(p.containerDefinitions as string) as Props[];
                    containers[0].privileged = true;
                    p.containerDefinitions = JSON.stringify(containers);
                }),
        },
        {
            what: "a wildcard action in the function's role policy",
            policy: "iam-no-wildcard-actions",
            at: named("aws:iam/rolePolicy:RolePolicy", "order-audit-policy"),
            mutate: (rs) =>
                edit(rs, named("aws:iam/rolePolicy:RolePolicy", "order-audit-policy"), (p) => {
                    const document = JSON.parse(p.policy as string) as { Statement: Props[] };
                    document.Statement[0].Action = "sqs:*";
                    p.policy = JSON.stringify(document);
                }),
        },
        {
            what: "a required tag missing from the provider's default tags",
            policy: "required-tags",
            at: named("aws:sqs/queue:Queue", "order-audit"),
            mutate: (rs) => edit(rs, named("pulumi:providers:aws", "aws"), (p) => (p.defaultTags = JSON.stringify({ tags: { Project: "event-pipeline", Environment: "dev" } }))),
        },
    ];

    for (const c of cases) {
        it(`${c.what} → ${c.policy}`, async () => {
            const resources = c.mutate(JSON.parse(devJson) as RecordedResource[]);
            const violations = await judge(client, "dev", resources, false);
            const target = resources.find(c.at)!;
            const caught = violations.filter((v) => v.policyName === c.policy && v.urn === target.urn && v.enforcementLevel === "mandatory");
            assert.ok(caught.length > 0, `expected ${c.policy} on ${target.urn}; got:\n${describeViolations(violations)}`);
        });
    }

    it("the unmodified graph has no violations (so each case above is its own change)", async () => {
        const violations = await judge(client, "dev", JSON.parse(devJson) as RecordedResource[], false);
        assert.deepEqual(mandatory(violations), []);
    });
});
