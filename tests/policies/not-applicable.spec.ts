/**
 * A resource policy that does not judge a resource says so with `args.notApplicable(reason)`, and
 * the reason is what `pulumi preview` shows for it: it must say which resources the policy judges
 * (or why this one is exempt), not be empty. The harness (./harness.ts) swallows the reason, so
 * these cases call `validateResource` with their own args and keep it.
 */
import assert from "node:assert/strict";
import { ResourceValidationArgs, ResourceValidationPolicy, unknownCheckingProxy } from "@pulumi/policy";
import { policies } from "../../policies/policies";
import { urnOf } from "./harness";

class NotApplicable extends Error {
    constructor(readonly reason: string | undefined) {
        super(reason);
    }
}

interface Case {
    policy: string;
    type: string;
    urn?: string;
    config?: Record<string, unknown>;
    reason: RegExp;
}

/** The reason `policy` gives for not judging a resource, or undefined when it judges it. */
async function notApplicableReason(c: Case): Promise<string | undefined> {
    const policy = policies.find((p) => p.name === c.policy) as ResourceValidationPolicy | undefined;
    assert.ok(policy?.validateResource, `${c.policy} is a resource policy of the pack`);
    const defaults = Object.fromEntries(
        Object.entries(policy.configSchema?.properties ?? {}).map(([key, schema]) => [key, (schema as { default?: unknown }).default]),
    );
    const args = {
        type: c.type,
        props: unknownCheckingProxy({}),
        urn: c.urn ?? urnOf(c.type, "subject"),
        name: "subject",
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        provider: undefined,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => ({ ...defaults, ...c.config }),
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    } as unknown as ResourceValidationArgs;
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    try {
        for (const validate of validations) {
            await validate(args, () => undefined);
        }
    } catch (e) {
        if (e instanceof NotApplicable) {
            return e.reason;
        }
        throw e;
    }
    return undefined;
}

const QUEUE = "aws:sqs/queue:Queue";

const CASES: Case[] = [
    { policy: "ec2-no-public-ingress", type: QUEUE, reason: /security groups and their ingress rules/ },
    { policy: "required-tags", type: "aws:sns/topicSubscription:TopicSubscription", reason: /^aws:sns\/topicSubscription:TopicSubscription does not accept tags/ },
    { policy: "disposable-compute", type: QUEUE, reason: /EC2 instances, spot requests, Elastic IPs and ECS services/ },
    { policy: "disposable-environments", type: QUEUE, urn: urnOf(QUEUE, "subject", "prod"), reason: /^Stack 'prod' is persistent/ },
    { policy: "disposable-environments", type: QUEUE, urn: "not-a-urn", reason: /stack cannot be read from the URN/ },
    { policy: "log-retention-required", type: QUEUE, reason: /CloudWatch log groups/ },
    { policy: "no-plaintext-secrets", type: QUEUE, reason: /Lambda functions and ECS task definitions/ },
    { policy: "ecs-container-insights-enabled", type: QUEUE, reason: /ECS clusters/ },
    { policy: "ecs-task-logging-required", type: QUEUE, reason: /ECS task definitions/ },
    { policy: "ecs-no-privileged-containers", type: QUEUE, reason: /ECS task definitions/ },
    { policy: "cloudwatch-alarm-actions-required", type: QUEUE, reason: /CloudWatch metric alarms/ },
    { policy: "iam-no-wildcard-actions", type: "aws:kms/key:Key", reason: /IAM identity policies.*key policies are not/ },
];

describe("resource policies say why a resource is not applicable", () => {
    for (const c of CASES) {
        it(`${c.policy}: ${c.type}${c.urn ? ` (${c.urn.split("::")[0]})` : ""}`, async () => {
            const reason = await notApplicableReason(c);
            assert.ok(reason !== undefined, `${c.policy} judged ${c.type} instead of calling notApplicable`);
            assert.match(reason, c.reason);
        });
    }

    it("a judged resource gets no notApplicable (the cases above can fail)", async () => {
        assert.equal(await notApplicableReason({ policy: "log-retention-required", type: "aws:cloudwatch/logGroup:LogGroup", reason: /./ }), undefined);
        assert.equal(await notApplicableReason({ policy: "disposable-environments", type: QUEUE, urn: urnOf(QUEUE, "subject", "dev"), reason: /./ }), undefined);
    });
});
