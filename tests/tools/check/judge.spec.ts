/**
 * `judge` on the real program's recorded graph with the real pack: the deliberate misconfigurations
 * break one thing each and expect the named policy to catch it on the resource at fault.
 */
import { strict as assert } from "node:assert";
import { PolicyPackClient, startPolicyPack, Violation } from "../../../tools/analyzer";
import { judge, JudgedStack, toAnalyzedResources } from "../../../tools/check/judge";
import { RecordedResource } from "../../../tools/mock-runtime";
import { THIS_PROJECT_NAME, THIS_PROJECT_POLICY_PACK_DIR } from "../../../tools/project";
import { sharedStackRun } from "../../support/stack-runs";
import { createFixturePack, FixturePack, REPORTING_PACK } from "../analyzer/fixture-pack";

const DEV: JudgedStack = { stack: "dev", project: THIS_PROJECT_NAME, dryRun: false };

const mandatory = (violations: Violation[]) => violations.filter((v) => v.enforcementLevel === "mandatory");

function describeViolations(violations: Violation[]): string {
    return violations.map((v) => `${v.policyName} ${v.enforcementLevel} ${v.urn}: ${v.message.split("\n").pop()}`).join("\n");
}

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

describe("check: deliberate misconfigurations are caught by the named policy", function () {
    this.timeout(120_000);
    let client: PolicyPackClient;
    let devJson: string;

    before(async () => {
        client = await startPolicyPack(THIS_PROJECT_POLICY_PACK_DIR);
        devJson = JSON.stringify((await sharedStackRun("dev")).resources);
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
        {
            what: "a NAT gateway in each of dev's availability zones, over dev's budget",
            policy: "stack-fixed-cost-budget",
            at: named("awsx:ec2:Vpc", "network"),
            mutate: (rs) =>
                edit(rs, named("awsx:ec2:Vpc", "network"), (p) => {
                    p.natGateways = { strategy: "OnePerAz" };
                    p.subnetSpecs = [{ type: "Public" }, { type: "Private" }];
                }),
        },
    ];

    for (const c of cases) {
        it(`${c.what} → ${c.policy}`, async () => {
            const resources = c.mutate(JSON.parse(devJson) as RecordedResource[]);
            const { violations } = await judge(client, DEV, toAnalyzedResources(resources));
            const target = resources.find(c.at)!;
            const caught = violations.filter((v) => v.policyName === c.policy && v.urn === target.urn && v.enforcementLevel === "mandatory");
            assert.ok(caught.length > 0, `expected ${c.policy} on ${target.urn}; got:\n${describeViolations(violations)}`);
        });
    }

    it("the unmodified graph has no violations (so each case above is its own change)", async () => {
        const { info, violations } = await judge(client, DEV, toAnalyzedResources(JSON.parse(devJson) as RecordedResource[]));
        assert.deepEqual(mandatory(violations), []);
        assert.equal(info.name, "event-pipeline-guardrails");
    });
});

describe("check: judge applies the judging pack's own config.<stack>.json", function () {
    let fixture: FixturePack;
    let client: PolicyPackClient;
    const resource = { urn: "urn:pulumi:dev::p::aws:sqs/queue:Queue::q", type: "aws:sqs/queue:Queue", name: "q", inputs: {}, protect: false, propertyDependencies: {} };

    before(async () => {
        fixture = createFixturePack(REPORTING_PACK, { "config.dev.json": JSON.stringify({ "report-every-resource": "disabled" }) });
        client = await startPolicyPack(fixture.directory);
    });
    after(async () => {
        await client?.close();
        fixture?.remove();
    });

    it("a stack with a config file gets it, over the pack's defaults; a stack without one gets the defaults", async () => {
        const policiesReporting = async (stack: string) =>
            [...new Set((await judge(client, { stack, project: "p", dryRun: true }, [resource])).violations.map((v) => v.policyName))].sort();
        assert.deepEqual(await policiesReporting("dev"), ["report-stack"]);
        assert.deepEqual(await policiesReporting("prod"), ["report-every-resource", "report-stack"]);
    });
});
