/**
 * Runs a Pulumi program — this project's `index.ts`, or any Node.js program's entry — under
 * Pulumi's own mock runtime and records every resource exactly as the engine would receive it:
 * type, name, URN, parent, provider, protect, property dependencies, the inputs already marshalled
 * by the SDK, and where the program created it (the SDK's source position and stack trace).
 *
 * The unit tests, `npm run check` and the benchmark all use this one harness, so what the tests
 * assert and what the policy pack judges is the same graph. The mocks are installed on the
 * `@pulumi/pulumi` the program itself loads (its own copy when it has one); provider functions
 * (invokes) are answered by `mock-invokes.ts`.
 *
 * Two modes, as with the CLI:
 * - update (`preview: false`): the mocks return realistic computed attributes (ids, ARNs, URLs,
 *   auto-generated names), like the state after a `pulumi up`;
 * - preview (`preview: true`): the mocks return only the inputs, so every computed attribute is
 *   unknown, as in the first `pulumi preview` of a new stack.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type * as pulumiModule from "@pulumi/pulumi";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import type { SourcePosition as SourcePositionMessage } from "@pulumi/pulumi/proto/source_pb";
import type { MockMonitor, Mocks, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import type * as settingsModule from "@pulumi/pulumi/runtime/settings";
import { UNKNOWN_SENTINELS } from "./analyzer/marshal";
import { invokeResult, MOCK_ACCOUNT_ID } from "./mock-invokes";
import { installModuleFallback } from "./program/module-resolution";
import { explainedProgramError, ProgramError } from "./program/program-error";
import { THIS_PROJECT_NAME, THIS_PROJECT_ROOT } from "./project";

export { MOCK_ACCOUNT_ID };

/** Where in the program's source a call was made (a `new …(` call or one of its callers). */
export interface SourcePosition {
    /** Absolute path of the file (the SDK sends a `file://` URL; anything else is kept as sent). */
    file: string;
    line: number;
    column: number;
}

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
    /** The `new …(` call that created it, as the SDK reports it (`sourcePosition`). */
    sourcePosition?: SourcePosition;
    /** The calls that led there, innermost first, from `sourcePosition` on (the SDK's `stackTrace`). */
    stackTrace?: SourcePosition[];
}

export interface ProgramRun {
    stack: string;
    preview: boolean;
    resources: RecordedResource[];
    /** The program's stack outputs, resolved (undefined where unknown during preview). */
    outputs: Record<string, unknown>;
    /** The folder of the `@pulumi/pulumi` the program loaded, on which the mocks were installed. */
    sdkRoot?: string;
}

export interface RunProgramOptions {
    stack: string;
    /** Full config keys (`<project>:owner`, `aws:region`) to values as Pulumi stores them (JSON text for objects). */
    config: Record<string, string>;
    /** Config keys whose values are secrets (`secure:` in a stack file). */
    secretKeys?: string[];
    preview?: boolean;
    /** The program's entry module; `index.ts` in `root` by default. */
    program?: string;
    /** The program's project name (in its URNs and its config's namespace); this project's by default. */
    project?: string;
    /**
     * The program's folder (this project's by default): its modules are loaded afresh for the run,
     * imports it cannot resolve itself come from this project's `node_modules`, and it is the
     * working directory while the program runs, as under the CLI.
     */
    root?: string;
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

function sourcePosition(message: SourcePositionMessage | undefined): SourcePosition | undefined {
    const uri = message?.getUri();
    if (!message || !uri) {
        return undefined;
    }
    let file = uri;
    if (uri.startsWith("file:")) {
        try {
            file = fileURLToPath(uri);
        } catch {
            // Not a local file URL: keep it as sent.
        }
    }
    return { file, line: message.getLine(), column: message.getColumn() };
}

/**
 * The stack trace's frames that have a position, cut where this harness loaded the program: the
 * frames outside it are the harness's callers (the check, a test), not the program's.
 */
function programFrames(req: RegisterResourceRequest): SourcePosition[] {
    const frames: SourcePosition[] = [];
    for (const frame of req.getStacktrace()?.getFramesList() ?? []) {
        const position = sourcePosition(frame.getPc());
        if (position?.file === __filename) {
            break;
        }
        if (position) {
            frames.push(position);
        }
    }
    return frames;
}

/**
 * The parts of an `@pulumi/pulumi` the harness drives: the one the program loads, which may be the
 * program's own copy rather than this project's (the mocks must be installed on that one).
 */
interface Sdk {
    root: string;
    pulumi: typeof pulumiModule;
    MockMonitor: typeof MockMonitor;
    settings: typeof settingsModule & { waitForRPCs(): Promise<void>; setMockOptions: typeof settingsModule.setMockOptions };
    state: { getStore(): Record<string, unknown> };
}

/** The `@pulumi/pulumi` a program in `root` resolves: its own `node_modules` first, else this project's. */
function loadSdk(root: string): Sdk {
    let packageJson: string;
    try {
        packageJson = require.resolve("@pulumi/pulumi/package.json", { paths: [root] });
    } catch {
        packageJson = require.resolve("@pulumi/pulumi/package.json", { paths: [THIS_PROJECT_ROOT] });
    }
    const sdkRoot = path.dirname(packageJson);
    const load = <T>(module: string) => require(path.join(sdkRoot, module)) as T; // eslint-disable-line @typescript-eslint/no-require-imports
    const sdk: Sdk = {
        root: sdkRoot,
        pulumi: load<typeof pulumiModule>("index.js"),
        MockMonitor: load<{ MockMonitor: typeof MockMonitor }>("runtime/mocks.js").MockMonitor,
        settings: load<Sdk["settings"]>("runtime/settings.js"),
        state: load<Sdk["state"]>("runtime/state.js"),
    };
    // Internal functions of the SDK's runtime (present in the pinned version; `setMocks` uses them
    // the same way). A test fails if they move.
    if (typeof sdk.MockMonitor !== "function" || typeof sdk.settings.setMockOptions !== "function" || typeof sdk.settings.waitForRPCs !== "function" || typeof sdk.state.getStore !== "function") {
        const version = (require(packageJson) as { version?: string }).version; // eslint-disable-line @typescript-eslint/no-require-imports
        throw new ProgramError(`the program's @pulumi/pulumi ${version ?? ""} in ${sdkRoot} lacks the mock runtime the check drives (it is built on 3.248)`);
    }
    return sdk;
}

/** The provider's region, by the provider reference an invoke or a resource names (`urn::id`). */
type RegionOf = (providerReference: string | undefined) => string;

/** A MockMonitor (of the program's SDK) that records the whole registration request, as the engine would receive it. */
function recordingMonitor(sdk: Sdk, mocks: Mocks, preview: boolean, region: string) {
    return new (class RecordingMonitor extends sdk.MockMonitor {
        readonly recorded: RecordedResource[] = [];

        async registerResource(req: RegisterResourceRequest, callback: (err: unknown, response: RegisterResourceResponse | undefined) => void): Promise<void> {
            return recordRegistration(this, req, callback, (r, cb) => super.registerResource(r, cb), preview, region);
        }
    })(mocks);
}

/** The registration recorded, then handed to the MockMonitor; the record is completed with its URN and outputs. */
async function recordRegistration(
    monitor: { recorded: RecordedResource[] },
    req: RegisterResourceRequest,
    callback: (err: unknown, response: RegisterResourceResponse | undefined) => void,
    register: (req: RegisterResourceRequest, callback: (err: unknown, response: RegisterResourceResponse | undefined) => void) => Promise<void>,
    preview: boolean,
    region: string,
): Promise<void> {
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
        sourcePosition: sourcePosition(req.getSourceposition()),
        stackTrace: programFrames(req),
    };
    monitor.recorded.push(record);
    await register(req, (err: unknown, response: RegisterResourceResponse | undefined) => {
        if (response) {
            record.urn = response.getUrn();
            const computed = computedAttributes({ type, name, inputs: wire, custom: req.getCustom() } as MockResourceArgs, region).state;
            // In a preview the provider plans the computed attributes as unknown; the
            // generated name is known already (the provider's Check chose it).
            record.outputs = preview
                ? { ...Object.fromEntries(Object.keys(computed).map((key) => [key, UNKNOWN_SENTINELS.string])), ...inputs }
                : { ...computed, ...inputs };
        }
        callback(err, response);
    });
}

/** Every module of the program is loaded afresh for each run, as in the new process of each `pulumi` command. */
function clearProgramModules(root: string): void {
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(`${root}${path.sep}`) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
            delete require.cache[file];
        }
    }
}

/** Resolves the program's exports (Outputs nested anywhere); values unknown during preview become undefined. */
async function resolveOutputs(pulumi: typeof pulumiModule, exports: Record<string, unknown>): Promise<Record<string, unknown>> {
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exports ?? {})) {
        // `isKnown` and `promise()` are the SDK's own way to read an Output without `apply`,
        // whose callback never runs for an unknown value.
        const output = pulumi.output(value) as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
        resolved[key] = (await output.isKnown) ? await output.promise() : undefined;
    }
    return resolved;
}

/**
 * Makes TypeScript programs loadable without a tsconfig.json of their own: `ts-node`, transpile
 * only, as `npm run check` itself runs (already registered there and under mocha).
 */
function ensureTypeScript(): void {
    if (!require.extensions[".ts"]) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require("ts-node") as typeof import("ts-node")).register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
    }
}

/**
 * Runs the program once for `stack` with `config` and returns every registered resource.
 * Runs are sequential: the Pulumi runtime is process-global.
 */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
    const preview = options.preview ?? false;
    const root = path.resolve(options.root ?? THIS_PROJECT_ROOT);
    const entry = options.program ?? path.join(root, "index.ts");
    const region = options.config["aws:region"] ?? "us-east-1";
    const sdk = loadSdk(path.dirname(entry));
    const mocks: Mocks = {
        newResource: (args) => {
            if (preview) {
                // Only what a preview knows: the inputs and the generated name.
                return { id: undefined as unknown as string, state: withGeneratedName(args.type, args.name, args.inputs) };
            }
            const computed = computedAttributes(args, region);
            return { id: computed.id, state: { ...computed.state, ...args.inputs } };
        },
        call: (args) => invokeResult(args.token, args.inputs as Record<string, unknown>, { region: regionOf(args.provider) }),
    };
    const monitor = recordingMonitor(sdk, mocks, preview, region);
    /** An invoke's region: its explicit provider's, as recorded, else the stack's. */
    const regionOf: RegionOf = (providerReference) => {
        const urn = providerReference ? providerReference.split("::").slice(0, -1).join("::") : undefined;
        const provider = urn ? monitor.recorded.find((r) => r.urn === urn) : undefined;
        const providerRegion = provider?.inputs.region;
        return typeof providerRegion === "string" && providerRegion !== "" ? providerRegion : region;
    };
    sdk.settings.setMockOptions(monitor, options.project ?? THIS_PROJECT_NAME, options.stack, preview);
    const store = sdk.state.getStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
    store.supportsOutputValues = false;
    store.supportsDeletedWith = true;
    store.supportsAliasSpecs = true;
    store.supportsTransforms = false;
    sdk.pulumi.runtime.setAllConfig(options.config, options.secretKeys);

    ensureTypeScript();
    clearProgramModules(root);
    const removeFallback = installModuleFallback(root, THIS_PROJECT_ROOT);
    const workingDirectory = process.cwd();
    process.chdir(root);
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const loaded = require(entry) as unknown;
        // As the language host: an exported function is the program (sync or async), its result the outputs.
        const exported = typeof loaded === "function" ? await (loaded as () => unknown)() : loaded;
        const outputs = await resolveOutputs(sdk.pulumi, (exported ?? {}) as Record<string, unknown>);
        await sdk.settings.waitForRPCs();
        return { stack: options.stack, preview, resources: monitor.recorded.filter((r) => r.urn !== ""), outputs, sdkRoot: sdk.root };
    } catch (e) {
        throw explainedProgramError(e, options.stack);
    } finally {
        process.chdir(workingDirectory);
        removeFallback();
    }
}
