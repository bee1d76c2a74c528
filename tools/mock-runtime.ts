/**
 * Runs the real Pulumi program (`index.ts`) under Pulumi's own mock runtime and records every
 * resource exactly as the engine would receive it: type, name, URN, parent, provider, protect,
 * property dependencies and the inputs already marshalled by the SDK.
 *
 * The unit tests, `npm run check` and the benchmark all use this one harness, so what the tests
 * assert and what the policy pack judges is the same graph.
 *
 * Two modes, as with the CLI:
 * - update (`preview: false`): the mocks return realistic computed attributes (ids, ARNs, URLs,
 *   auto-generated names), like the state after a `pulumi up`;
 * - preview (`preview: true`): the mocks return only the inputs, so every computed attribute is
 *   unknown, as in the first `pulumi preview` of a new stack.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor, Mocks, MockResourceArgs, MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import * as settingsModule from "@pulumi/pulumi/runtime/settings";
import * as stateModule from "@pulumi/pulumi/runtime/state";
import { UNKNOWN_SENTINELS } from "./analyzer/marshal";
import { THIS_PROJECT_NAME, THIS_PROJECT_ROOT } from "./project";

// Internal functions of the SDK's runtime (present in the pinned version; `setMocks` uses them the
// same way). A test fails if they move.
const settings = settingsModule as typeof settingsModule & { waitForRPCs(): Promise<void> };
const state = stateModule as unknown as { getStore(): Record<string, unknown> };

export const MOCK_ACCOUNT_ID = "123456789012";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent resource, if any. */
    parent?: string;
    /** URN of the explicit provider, if any (the engine's reference is `urn::id`). */
    provider?: string;
    custom: boolean;
    protect: boolean;
    /**
     * The inputs as the engine's Check would hand them to an analyzer: marshalled by the SDK
     * (unknowns as the unknown-string sentinel, secrets and assets as their signature objects),
     * plus the auto-generated physical name the provider fills in for auto-named resources.
     */
    inputs: Record<string, unknown>;
    /** The state after the operation: inputs plus computed attributes (unknown ones absent in preview). */
    outputs: Record<string, unknown>;
    /** property → URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
    dependencies: string[];
}

export interface ProgramRun {
    stack: string;
    preview: boolean;
    resources: RecordedResource[];
    /** The program's stack outputs, resolved (undefined where unknown during preview). */
    outputs: Record<string, unknown>;
}

export interface RunProgramOptions {
    stack: string;
    /** Full config keys (`<project>:owner`, `aws:region`) to values as Pulumi stores them (JSON text for objects). */
    config: Record<string, string>;
    /** Config keys whose values are secrets (`secure:` in a stack file). */
    secretKeys?: string[];
    preview?: boolean;
    /** The program's entry module; this project's `index.ts` by default. */
    program?: string;
    /** The program's project name (in its URNs and its config's namespace); this project's by default. */
    project?: string;
}

/** Resource types whose `name` (or other naming property) the AWS provider generates when unset. */
const AUTO_NAMED: Readonly<Record<string, string>> = {
    "aws:sqs/queue:Queue": "name",
    "aws:sns/topic:Topic": "name",
    "aws:lambda/function:Function": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:cloudwatch/dashboard:Dashboard": "dashboardName",
    "aws:iam/role:Role": "name",
    "aws:iam/policy:Policy": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:ecs/cluster:Cluster": "name",
    "aws:ecs/service:Service": "name",
    "aws:ec2/securityGroup:SecurityGroup": "name",
    "aws:appautoscaling/policy:Policy": "name",
    "aws:dynamodb/table:Table": "name",
    "aws:kms/alias:Alias": "name",
    "aws:ecr/repository:Repository": "name",
};

function shortHash(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 7);
}

/** The physical name the provider would generate: logical name plus a random suffix (here: stable). */
export function physicalName(type: string, name: string): string {
    return `${name}-${shortHash(`${type}::${name}`)}`;
}

/** The inputs with the physical name the provider's Check generates when an auto-named resource sets none. */
function withGeneratedName(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const nameProperty = AUTO_NAMED[type];
    return nameProperty && inputs[nameProperty] === undefined ? { ...inputs, [nameProperty]: physicalName(type, name) } : inputs;
}

function arn(service: string, resource: string, region: string): string {
    return `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;
}

/** Computed attributes per type, as the AWS provider returns them after a create. */
function computedAttributes(args: MockResourceArgs, region: string): { id: string; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, unknown>;
    const nameProperty = AUTO_NAMED[args.type];
    const name = nameProperty ? ((inputs[nameProperty] as string | undefined) ?? physicalName(args.type, args.name)) : args.name;
    const state: Record<string, unknown> = nameProperty ? { [nameProperty]: name } : {};
    const hash = shortHash(`${args.type}::${args.name}`);
    switch (args.type) {
        case "aws:sqs/queue:Queue": {
            const url = `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}`;
            return { id: url, state: { ...state, url, arn: arn("sqs", name, region) } };
        }
        case "aws:sns/topic:Topic": {
            const topicArn = arn("sns", name, region);
            return { id: topicArn, state: { ...state, arn: topicArn } };
        }
        case "aws:sns/topicSubscription:TopicSubscription": {
            const subscriptionArn = `${String(inputs.topic)}:${hash}-sub`;
            return { id: subscriptionArn, state: { arn: subscriptionArn } };
        }
        case "aws:lambda/function:Function": {
            const functionArn = arn("lambda", `function:${name}`, region);
            return { id: name, state: { ...state, arn: functionArn, qualifiedArn: `${functionArn}:$LATEST`, invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`, version: "$LATEST" } };
        }
        case "aws:lambda/eventSourceMapping:EventSourceMapping":
            return { id: `esm-${hash}`, state: { uuid: `esm-${hash}`, functionArn: inputs.functionName } };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: name, state: { ...state, arn: arn("logs", `log-group:${name}`, region) } };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { id: name, state: { ...state, arn: arn("cloudwatch", `alarm:${name}`, region) } };
        case "aws:cloudwatch/dashboard:Dashboard":
            return { id: name, state: { ...state, dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${name}` } };
        case "aws:iam/role:Role":
            return { id: name, state: { ...state, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${name}`, uniqueId: `AROA${hash.toUpperCase()}` } };
        case "aws:iam/policy:Policy":
            return { id: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${name}`, state: { ...state, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${name}` } };
        case "aws:kms/key:Key":
            return { id: `key-${hash}`, state: { keyId: `key-${hash}`, arn: arn("kms", `key/key-${hash}`, region) } };
        case "aws:ecs/cluster:Cluster": {
            const clusterArn = arn("ecs", `cluster/${name}`, region);
            return { id: clusterArn, state: { ...state, arn: clusterArn } };
        }
        case "aws:ecs/service:Service":
            return { id: arn("ecs", `service/${name}`, region), state: { ...state } };
        case "aws:ecs/taskDefinition:TaskDefinition": {
            const family = String(inputs.family ?? args.name);
            return { id: family, state: { arn: arn("ecs", `task-definition/${family}:1`, region), revision: 1 } };
        }
        case "aws:ec2/securityGroup:SecurityGroup":
            return { id: `sg-${hash}`, state: { ...state, arn: arn("ec2", `security-group/sg-${hash}`, region) } };
        case "aws:dynamodb/table:Table":
            return { id: name, state: { ...state, arn: arn("dynamodb", `table/${name}`, region) } };
        case "aws:appautoscaling/policy:Policy":
            return { id: name, state: { ...state, arn: arn("autoscaling", `scalingPolicy:${hash}:resource/ecs/${name}`, region) } };
        case "awsx:ec2:Vpc":
            return {
                id: `vpc-${hash}`,
                state: {
                    vpcId: `vpc-${hash}`,
                    publicSubnetIds: [`subnet-${hash}a`, `subnet-${hash}b`],
                    privateSubnetIds: [`subnet-${hash}c`, `subnet-${hash}d`],
                    isolatedSubnetIds: [],
                },
            };
        case "awsx:ecr:Image":
            return { id: `img-${hash}`, state: { imageUri: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/worker@sha256:${shortHash(hash)}` } };
        case "aws:ecr/repository:Repository":
            return { id: name, state: { ...state, arn: arn("ecr", `repository/${name}`, region), repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${name}` } };
        default:
            return { id: `${args.name}-${hash}`, state: { ...state, arn: arn(args.type.split(":")[1]?.split("/")[0] ?? "unknown", `${args.name}-${hash}`, region) } };
    }
}

function invokeResult(args: MockCallArgs, region: string): Record<string, unknown> {
    switch (args.token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/ci`, userId: "AIDAMOCK", id: MOCK_ACCOUNT_ID };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        default:
            return {};
    }
}

/** A MockMonitor that records the whole registration request, as the engine would receive it. */
class RecordingMonitor extends MockMonitor {
    readonly recorded: RecordedResource[] = [];

    constructor(
        mocks: Mocks,
        private readonly preview: boolean,
        private readonly region: string,
    ) {
        super(mocks);
    }

    async registerResource(req: RegisterResourceRequest, callback: (err: unknown, response: RegisterResourceResponse | undefined) => void): Promise<void> {
        const type: string = req.getType();
        const name: string = req.getName();
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, property) => {
            propertyDependencies[property] = deps.getUrnsList();
        });
        const wire = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const inputs = withGeneratedName(type, name, wire);
        const providerReference: string = req.getProvider();
        const record: RecordedResource = {
            urn: "",
            type,
            name,
            parent: req.getParent() || undefined,
            provider: providerReference ? providerReference.split("::").slice(0, -1).join("::") : undefined,
            custom: req.getCustom(),
            protect: req.getProtect() === true,
            inputs,
            outputs: {},
            propertyDependencies,
            dependencies: req.getDependenciesList(),
        };
        this.recorded.push(record);
        await super.registerResource(req, (err: unknown, response: RegisterResourceResponse | undefined) => {
            if (response) {
                record.urn = response.getUrn();
                const computed = computedAttributes({ type, name, inputs: wire, custom: req.getCustom() } as MockResourceArgs, this.region).state;
                // In a preview the provider plans the computed attributes as unknown; the
                // generated name is known already (the provider's Check chose it).
                record.outputs = this.preview
                    ? { ...Object.fromEntries(Object.keys(computed).map((key) => [key, UNKNOWN_SENTINELS.string])), ...inputs }
                    : { ...computed, ...inputs };
            }
            callback(err, response);
        });
    }
}

/** Every project module is loaded afresh for each run, as in the new process of each `pulumi` command. */
function clearProjectModules(): void {
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(THIS_PROJECT_ROOT) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
            delete require.cache[file];
        }
    }
}

/** Resolves the program's exports (Outputs nested anywhere); values unknown during preview become undefined. */
async function resolveOutputs(exports: Record<string, unknown>): Promise<Record<string, unknown>> {
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exports)) {
        // `isKnown` and `promise()` are the SDK's own way to read an Output without `apply`,
        // whose callback never runs for an unknown value.
        const output = pulumi.output(value) as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
        resolved[key] = (await output.isKnown) ? await output.promise() : undefined;
    }
    return resolved;
}

/**
 * Runs the program once for `stack` with `config` and returns every registered resource.
 * Runs are sequential: the Pulumi runtime is process-global.
 */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
    const preview = options.preview ?? false;
    const region = options.config["aws:region"] ?? "us-east-1";
    const mocks: Mocks = {
        newResource: (args) => {
            if (preview) {
                // Only what a preview knows: the inputs and the generated name.
                return { id: undefined as unknown as string, state: withGeneratedName(args.type, args.name, args.inputs) };
            }
            const computed = computedAttributes(args, region);
            return { id: computed.id, state: { ...computed.state, ...args.inputs } };
        },
        call: (args) => invokeResult(args, region),
    };
    const monitor = new RecordingMonitor(mocks, preview, region);
    settings.setMockOptions(monitor, options.project ?? THIS_PROJECT_NAME, options.stack, preview);
    const store = state.getStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
    store.supportsOutputValues = false;
    store.supportsDeletedWith = true;
    store.supportsAliasSpecs = true;
    store.supportsTransforms = false;
    pulumi.runtime.setAllConfig(options.config, options.secretKeys);

    clearProjectModules();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(options.program ?? path.join(THIS_PROJECT_ROOT, "index.ts")) as Record<string, unknown>;
    const outputs = await resolveOutputs(program);
    await settings.waitForRPCs();
    return { stack: options.stack, preview, resources: monitor.recorded.filter((r) => r.urn !== ""), outputs };
}
