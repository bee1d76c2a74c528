/**
 * Drives a policy pack exactly as `pulumi preview --policy-pack <dir>` does, without the CLI.
 *
 * Like the CLI's `pulumi-analyzer-policy` plugin: resolve `@pulumi/pulumi/cmd/run-policy-pack`
 * from the pack's folder, run it with Node in that folder as `<engine-address> .` (plus the
 * runtime options of PulumiPolicy.yaml as `-key=value`), read the port from the first line of its
 * stdout, then speak the Analyzer gRPC protocol to it over an insecure local channel.
 *
 * The engine address: the runner drops it (`run-policy-pack/index.js` shifts it off argv) and
 * nothing in `@pulumi/pulumi` 3.248 / `@pulumi/policy` 1.21 reads it; the pack's logs go to its
 * stdout because `PULUMI_NODEJS_ENGINE` is unset, as under the CLI, which never sets it for
 * analyzers. So no Engine server is started; a test fails if the runner starts using the address.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse as parseYaml } from "yaml";
import { toStruct } from "./marshal";
import {
    AnalyzedResource,
    AnalyzerInfo,
    EnforcementLevel,
    JsonSchema,
    PolicyConfigMap,
    PolicyConfigOverlay,
    PolicyInfo,
    PolicyPackError,
    ProviderReference,
    StackConfiguration,
    Violation,
} from "./types";

/** Placeholder for the `<engine-address>` argument, which the runner discards (see above). */
const UNUSED_ENGINE_ADDRESS = "127.0.0.1:0";
const EXIT_WITH_CLIENT = path.join(__dirname, "exit-with-client.js");
/** The CLI's channel limit (`rpcutil.GrpcChannelOptions`), matching the pack server's. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
const OUTPUT_LINES_KEPT = 500;

export interface StackEnvironment {
    stack: string;
    project: string;
    organization?: string;
    dryRun?: boolean;
    /** Stack config as the CLI passes it in `PULUMI_CONFIG` (`"<project>:<key>": "<value>"`). */
    config?: Record<string, string>;
}

export interface StartOptions {
    /** How long the pack may take to print its port (default 30 s: a TypeScript pack compiles first). */
    startTimeoutMs?: number;
    /** Deadline of each call (default 60 s), so a policy that never settles cannot hang the caller. */
    callTimeoutMs?: number;
    /** Sets the variables the CLI gives a pack (`PULUMI_NODEJS_STACK`, …) so `pulumi.getStack()` works in it. */
    stack?: StackEnvironment;
    /** Extra environment for the pack process. */
    env?: Record<string, string | undefined>;
    /** Every line the pack writes after its port (the CLI shows these as diagnostics). */
    onOutput?: (line: string, stream: "stdout" | "stderr") => void;
}

export interface AnalyzeAllOptions {
    /** Requests in flight at once on the one connection (default 16: client and pack then work at the same time). */
    concurrency?: number;
}

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
    [proto.EnforcementLevel.ADVISORY]: "advisory",
    [proto.EnforcementLevel.MANDATORY]: "mandatory",
    [proto.EnforcementLevel.REMEDIATE]: "remediate",
    [proto.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_VALUES: Record<EnforcementLevel, proto.EnforcementLevel> = {
    advisory: proto.EnforcementLevel.ADVISORY,
    mandatory: proto.EnforcementLevel.MANDATORY,
    remediate: proto.EnforcementLevel.REMEDIATE,
    disabled: proto.EnforcementLevel.DISABLED,
};

function levelName(level: proto.EnforcementLevel): EnforcementLevel {
    const name = LEVEL_NAMES[level];
    if (name === undefined) {
        throw new PolicyPackError(`the policy pack answered with an unknown enforcement level (${level})`);
    }
    return name;
}

// ------------------------------------------------------------------------------------------------
// The pack's process

/** Packs still running; killed when this process exits, so a forgotten close() leaves none behind. */
const runningPacks = new Set<ChildProcess>();
let exitHookInstalled = false;

function killWhenThisProcessExits(child: ChildProcess): void {
    runningPacks.add(child);
    child.once("exit", () => runningPacks.delete(child));
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on("exit", () => {
            for (const pack of runningPacks) {
                pack.kill("SIGKILL");
            }
        });
    }
}

/** The last lines a stream wrote, for error messages and `output()`. */
class LineTail {
    readonly lines: string[] = [];
    private partial = "";

    constructor(private readonly onLine?: (line: string) => void) {}

    write(chunk: string): void {
        const parts = (this.partial + chunk).split("\n");
        this.partial = parts.pop() ?? "";
        for (const line of parts) {
            this.push(line.replace(/\r$/, ""));
        }
    }

    flush(): void {
        if (this.partial !== "") {
            this.push(this.partial);
            this.partial = "";
        }
    }

    text(maxLines = 40): string {
        return this.lines.slice(-maxLines).join("\n").trim();
    }

    private push(line: string): void {
        this.lines.push(line);
        if (this.lines.length > OUTPUT_LINES_KEPT) {
            this.lines.shift();
        }
        this.onLine?.(line);
    }
}

interface PolicyProject {
    version?: string;
    runtimeArgs: string[];
}

function readPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    let document: unknown;
    try {
        document = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "it has no PulumiPolicy.yaml" : (e as Error).message;
        throw new PolicyPackError(`${packDir} is not a policy pack: ${reason}`);
    }
    const project = (document ?? {}) as { runtime?: unknown; version?: unknown };
    const runtime = project.runtime;
    const runtimeName = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
    if (runtimeName !== "nodejs") {
        throw new PolicyPackError(`${file}: runtime is ${JSON.stringify(runtimeName)}; this client runs only nodejs policy packs`);
    }
    // As the CLI does, each runtime option becomes an argument `-<key>=<value>`.
    const options = typeof runtime === "object" && runtime !== null ? (runtime as { options?: Record<string, unknown> }).options ?? {} : {};
    const runtimeArgs = Object.entries(options)
        .filter(([, value]) => value !== undefined && value !== null && String(value) !== "")
        .map(([key, value]) => `-${key}=${String(value)}`);
    return { version: typeof project.version === "string" ? project.version : undefined, runtimeArgs };
}

function packEnvironment(options: StartOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    // The CLI's own environment never holds these; inherited from a Pulumi program they would
    // send the pack's logs to an engine that is not ours.
    delete env["PULUMI_NODEJS_ENGINE"];
    delete env["PULUMI_NODEJS_MONITOR"];
    const stack = options.stack;
    if (stack) {
        const set = (key: string, value: string | undefined) => {
            if (value) {
                env[`PULUMI_NODEJS_${key}`] = value;
                env[`PULUMI_${key}`] = value;
            }
        };
        set("ORGANIZATION", stack.organization);
        set("PROJECT", stack.project);
        set("STACK", stack.stack);
        set("DRY_RUN", String(stack.dryRun ?? true));
        if (stack.config && Object.keys(stack.config).length > 0) {
            env["PULUMI_CONFIG"] = JSON.stringify(stack.config);
        }
    }
    return env;
}

function parsePort(line: string): number | undefined {
    const trimmed = line.trim();
    const port = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    return port > 0 && port <= 65535 ? port : undefined;
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/**
 * Starts the pack in `packDir` and connects to it. Fails with a `PolicyPackError` saying why (the
 * pack's stderr when it exits, what it printed instead of a port, or that no port came in time);
 * the process is gone by then.
 */
export async function startPolicyPack(packDir: string, options: StartOptions = {}): Promise<PolicyPackClient> {
    const directory = path.resolve(packDir);
    const project = readPolicyProject(directory);
    let runner: string;
    try {
        runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [directory] });
    } catch {
        throw new PolicyPackError(
            `cannot find @pulumi/pulumi/cmd/run-policy-pack from ${directory}: the policy pack's dependencies are not installed (run npm install)`,
        );
    }

    const startTimeoutMs = options.startTimeoutMs ?? 30_000;
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, ["--require", EXIT_WITH_CLIENT, runner, UNUSED_ENGINE_ADDRESS, ".", ...project.runtimeArgs], {
        cwd: directory,
        env: packEnvironment(options),
        stdio: ["pipe", "pipe", "pipe"],
    });
    killWhenThisProcessExits(child);
    const stdout = new LineTail((line) => options.onOutput?.(line, "stdout"));
    const stderr = new LineTail((line) => options.onOutput?.(line, "stderr"));
    const closed = new Promise<void>((resolve) =>
        child.once("close", () => {
            stdout.flush();
            stderr.flush();
            resolve();
        }),
    );
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => stderr.write(chunk));
    child.stdin!.on("error", () => undefined); // the pack may be gone before we close its stdin

    const failAndStop = async (message: string): Promise<never> => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGKILL");
        }
        await closed;
        const said = stderr.text();
        throw new PolicyPackError(said ? `${message}\n${said}` : message);
    };

    const portLine = await new Promise<string | Error>((resolve) => {
        let firstLine = "";
        const onData = (chunk: string) => {
            const newline = chunk.indexOf("\n");
            if (newline < 0) {
                firstLine += chunk;
                return;
            }
            firstLine += chunk.slice(0, newline);
            finish(firstLine);
            // Whatever follows the port is the pack's output; keep reading it so its pipe never fills.
            stdout.write(chunk.slice(newline + 1));
            child.stdout!.on("data", (more: string) => stdout.write(more));
        };
        const onClose = (code: number | null, signal: NodeJS.Signals | null) =>
            finish(new Error(`the policy pack in ${directory} exited (${signal ?? `code ${code}`}) before printing its port`));
        const onError = (e: Error) => finish(new Error(`cannot run ${process.execPath} for the policy pack in ${directory}: ${e.message}`));
        const timer = setTimeout(
            () => finish(new Error(`the policy pack in ${directory} did not print its port within ${seconds(startTimeoutMs)}`)),
            startTimeoutMs,
        );
        const finish = (result: string | Error) => {
            clearTimeout(timer);
            child.stdout!.off("data", onData);
            child.off("close", onClose);
            child.off("error", onError);
            resolve(result);
        };
        child.stdout!.on("data", onData);
        child.once("close", onClose);
        child.once("error", onError);
    });
    if (portLine instanceof Error) {
        return failAndStop(portLine.message);
    }
    const port = parsePort(portLine);
    if (port === undefined) {
        return failAndStop(
            `the policy pack in ${directory} printed ${JSON.stringify(portLine.slice(0, 200))} where its port belongs ` +
                "(the first line of its stdout; the Pulumi CLI fails the same way)",
        );
    }
    const startupMs = performance.now() - spawnedAt;

    const grpcClient = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
    const ready = await new Promise<Error | undefined>((resolve) => grpcClient.waitForReady(Date.now() + 10_000, (e) => resolve(e ?? undefined)));
    if (ready) {
        grpcClient.close();
        return failAndStop(`the policy pack in ${directory} printed port ${port} but does not accept connections: ${ready.message}`);
    }
    // A forgotten close() must not keep the caller alive; the exit hook then stops the pack.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
        (stream as unknown as { unref?: () => void } | null)?.unref?.();
    }
    return new PolicyPackClient({ directory, child, closed, grpcClient, port, startupMs, stdout, stderr, project, callTimeoutMs: options.callTimeoutMs ?? 60_000 });
}

// ------------------------------------------------------------------------------------------------
// Requests and answers

function resourceOptions(resource: AnalyzedResource): proto.AnalyzerResourceOptions {
    const options = new proto.AnalyzerResourceOptions();
    options.setProtect(resource.protect);
    options.setIgnorechangesList(resource.ignoreChanges ?? []);
    options.setAliasesList(resource.aliases ?? []);
    options.setAdditionalsecretoutputsList(resource.additionalSecretOutputs ?? []);
    if (resource.deleteBeforeReplace !== undefined) {
        options.setDeletebeforereplace(resource.deleteBeforeReplace);
        options.setDeletebeforereplacedefined(true);
    }
    // The engine always sends custom timeouts, zero when unset.
    const timeouts = new proto.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(resource.customTimeouts?.create ?? 0);
    timeouts.setUpdate(resource.customTimeouts?.update ?? 0);
    timeouts.setDelete(resource.customTimeouts?.delete ?? 0);
    options.setCustomtimeouts(timeouts);
    if (resource.parent) {
        options.setParent(resource.parent);
    }
    return options;
}

function providerResource(provider: ProviderReference): proto.AnalyzerProviderResource {
    const message = new proto.AnalyzerProviderResource();
    message.setUrn(provider.urn);
    message.setType(provider.type);
    message.setName(provider.name);
    message.setProperties(toStruct(provider.props, `${provider.urn} provider props`));
    return message;
}

function analyzeRequest(resource: AnalyzedResource): proto.AnalyzeRequest {
    const request = new proto.AnalyzeRequest();
    request.setUrn(resource.urn);
    request.setType(resource.type);
    request.setName(resource.name);
    request.setProperties(toStruct(resource.inputs, `${resource.urn} inputs`));
    request.setOptions(resourceOptions(resource));
    if (resource.provider) {
        request.setProvider(providerResource(resource.provider));
    }
    return request;
}

function stackResource(resource: AnalyzedResource): proto.AnalyzerResource {
    const message = new proto.AnalyzerResource();
    message.setUrn(resource.urn);
    message.setType(resource.type);
    message.setName(resource.name);
    // AnalyzeStack sees the stack's state: outputs, or the inputs of a resource recorded without them.
    message.setProperties(toStruct(resource.outputs ?? resource.inputs, `${resource.urn} ${resource.outputs ? "outputs" : "inputs"}`));
    message.setOptions(resourceOptions(resource));
    if (resource.provider) {
        message.setProvider(providerResource(resource.provider));
    }
    if (resource.parent) {
        message.setParent(resource.parent);
    }
    // A registration's dependencies include every property dependency (plus explicit dependsOn).
    const dependencies = resource.dependencies ?? [...new Set(Object.values(resource.propertyDependencies).flat())];
    message.setDependenciesList(dependencies);
    const propertyDependencies = message.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
        if (urns.length > 0) {
            // Like the engine, a property without dependencies is left out.
            const entry = new proto.AnalyzerPropertyDependencies();
            entry.setUrnsList(urns);
            propertyDependencies.set(property, entry);
        }
    }
    return message;
}

function violations(response: proto.AnalyzeResponse, defaultUrn?: string): Violation[] {
    return response.getDiagnosticsList().map((diagnostic) => {
        const violation: Violation = {
            policyName: diagnostic.getPolicyname(),
            policyPackName: diagnostic.getPolicypackname(),
            policyPackVersion: diagnostic.getPolicypackversion(),
            enforcementLevel: levelName(diagnostic.getEnforcementlevel()),
            message: diagnostic.getMessage(),
            description: diagnostic.getDescription(),
        };
        // The engine files a resource policy's violation under the analyzed resource.
        const urn = diagnostic.getUrn() || defaultUrn;
        if (urn) {
            violation.urn = urn;
        }
        return violation;
    });
}

function policyInfo(policy: proto.PolicyInfo): PolicyInfo {
    const info: PolicyInfo = {
        name: policy.getName(),
        displayName: policy.getDisplayname(),
        description: policy.getDescription(),
        enforcementLevel: levelName(policy.getEnforcementlevel()),
        policyType:
            policy.getPolicyType() === proto.PolicyType.POLICY_TYPE_RESOURCE
                ? "resource"
                : policy.getPolicyType() === proto.PolicyType.POLICY_TYPE_STACK
                  ? "stack"
                  : "unknown",
    };
    const schema = policy.getConfigschema();
    if (schema) {
        info.configSchema = {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
            required: schema.getRequiredList(),
        };
    }
    return info;
}

/** Drops stack frames from what the pack reports: the sentence is for users, the frames are in `details`. */
function withoutStackFrames(text: string): string {
    return text
        .split("\n")
        .filter((line) => !/^\s+at\s/.test(line))
        .join("\n")
        .trim();
}

type UnaryCall<Request, Response> = (
    request: Request,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: Response) => void,
) => grpc.ClientUnaryCall;

interface ClientParts {
    directory: string;
    child: ChildProcess;
    closed: Promise<void>;
    grpcClient: AnalyzerClient;
    port: number;
    startupMs: number;
    stdout: LineTail;
    stderr: LineTail;
    project: PolicyProject;
    callTimeoutMs: number;
}

/** A running policy pack; one connection, reused by every call. */
export class PolicyPackClient {
    /** Where the pack runs from. */
    readonly directory: string;
    readonly port: number;
    /** Milliseconds from spawn to the port printed. */
    readonly startupMs: number;
    private readonly parts: ClientParts;
    private label: string;
    private closing: Promise<void> | undefined;

    constructor(parts: ClientParts) {
        this.parts = parts;
        this.directory = parts.directory;
        this.port = parts.port;
        this.startupMs = parts.startupMs;
        this.label = `the policy pack in ${parts.directory}`;
    }

    get pid(): number {
        return this.parts.child.pid!;
    }

    /** Lines the pack wrote after its port (stdout and stderr), the last few hundred. */
    output(): { stdout: string[]; stderr: string[] } {
        return { stdout: [...this.parts.stdout.lines], stderr: [...this.parts.stderr.lines] };
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const response = await this.call(this.parts.grpcClient.getAnalyzerInfo, new Empty(), "GetAnalyzerInfo");
        const initialConfig: PolicyConfigOverlay = {};
        response.getInitialconfigMap().forEach((config, policyName) => {
            initialConfig[policyName] = {
                enforcementLevel: levelName(config.getEnforcementlevel()),
                properties: (config.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
            };
        });
        const info: AnalyzerInfo = {
            name: response.getName(),
            displayName: response.getDisplayname(),
            // The CLI prefers PulumiPolicy.yaml's version to the pack's own.
            version: this.parts.project.version ?? response.getVersion(),
            description: response.getDescription(),
            supportsConfig: response.getSupportsconfig(),
            policies: response.getPoliciesList().map(policyInfo),
            initialConfig,
        };
        this.label = `policy pack '${info.name}'`;
        return info;
    }

    /** Sends each policy's level and properties; like the CLI, sends nothing when `config` is empty. */
    async configure(config: PolicyConfigMap): Promise<void> {
        if (Object.keys(config).length === 0) {
            return;
        }
        const request = new proto.ConfigureAnalyzerRequest();
        const policyConfigs = request.getPolicyconfigMap();
        for (const [policyName, { enforcementLevel, properties }] of Object.entries(config)) {
            const level = LEVEL_VALUES[enforcementLevel];
            if (level === undefined) {
                throw new PolicyPackError(`policy config for '${policyName}': invalid enforcement level ${JSON.stringify(enforcementLevel)}`);
            }
            const policyConfig = new proto.PolicyConfig();
            policyConfig.setEnforcementlevel(level);
            policyConfig.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(properties ?? {}))));
            policyConfigs.set(policyName, policyConfig);
        }
        await this.call(this.parts.grpcClient.configure, request, "Configure");
    }

    async configureStack(stack: StackConfiguration): Promise<void> {
        const request = new proto.AnalyzerStackConfigureRequest();
        request.setStack(stack.stack);
        request.setProject(stack.project);
        request.setOrganization(stack.organization ?? "");
        request.setDryRun(stack.dryRun ?? false);
        const tags = request.getTagsMap();
        for (const [key, value] of Object.entries(stack.tags ?? {})) {
            tags.set(key, value);
        }
        await this.call(this.parts.grpcClient.configureStack, request, "ConfigureStack");
    }

    /** Resource policies on one resource's inputs; violations carry the resource's URN. */
    async analyze(resource: AnalyzedResource): Promise<Violation[]> {
        const response = await this.call(this.parts.grpcClient.analyze, analyzeRequest(resource), `Analyze of ${resource.urn}`);
        return violations(response, resource.urn);
    }

    /**
     * `analyze` for each resource, with up to `concurrency` requests in flight on the one
     * connection; violations in the order of `resources`.
     */
    async analyzeAll(resources: readonly AnalyzedResource[], options: AnalyzeAllOptions = {}): Promise<Violation[]> {
        const concurrency = Math.max(1, Math.floor(options.concurrency ?? 16));
        const results: Violation[][] = new Array(resources.length);
        let next = 0;
        const worker = async () => {
            while (next < resources.length) {
                const index = next++;
                results[index] = await this.analyze(resources[index]);
            }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, resources.length) }, worker));
        return results.flat();
    }

    /** Stack policies over every resource, each with its outputs (or inputs), parent and dependencies. */
    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<Violation[]> {
        const request = new proto.AnalyzeStackRequest();
        request.setResourcesList(resources.map(stackResource));
        const response = await this.call(this.parts.grpcClient.analyzeStack, request, "AnalyzeStack");
        return violations(response);
    }

    /** Stops the pack and waits until its process is gone. Safe to call more than once. */
    close(): Promise<void> {
        if (!this.closing) {
            this.closing = this.stop();
        }
        return this.closing;
    }

    private async stop(): Promise<void> {
        const { child, closed, grpcClient } = this.parts;
        grpcClient.close();
        child.ref(); // so an awaited close() really waits for the process to be gone
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const exitedInTime = await Promise.race([closed.then(() => true), delay(3_000).then(() => false)]);
            if (!exitedInTime) {
                child.kill("SIGKILL");
            }
        }
        await closed;
    }

    private call<Request, Response>(method: UnaryCall<Request, Response>, request: Request, what: string): Promise<Response> {
        if (this.closing) {
            return Promise.reject(new PolicyPackError(`${what}: ${this.label} is closed`));
        }
        return new Promise<Response>((resolve, reject) => {
            const deadline = Date.now() + this.parts.callTimeoutMs;
            method.call(this.parts.grpcClient, request, new grpc.Metadata(), { deadline }, (error, response) => {
                if (error) {
                    this.failure(error, what).then(reject, reject);
                } else {
                    resolve(response);
                }
            });
        });
    }

    private async failure(error: grpc.ServiceError, what: string): Promise<PolicyPackError> {
        const { child, closed, stderr } = this.parts;
        if (error.code === grpc.status.UNAVAILABLE) {
            // The connection broke: most likely the pack died. Give its exit a moment to be seen,
            // so the message can say how it ended and what it wrote.
            await Promise.race([closed, delay(1_000)]);
        }
        if (child.exitCode !== null || child.signalCode !== null || error.code === grpc.status.UNAVAILABLE) {
            const how = child.exitCode !== null || child.signalCode !== null ? `exited (${child.signalCode ?? `code ${child.exitCode}`})` : "is not reachable";
            const said = stderr.text();
            return new PolicyPackError(`${what}: ${this.label} ${how}${said ? `:\n${said}` : ""}`, error.details);
        }
        if (error.code === grpc.status.DEADLINE_EXCEEDED) {
            return new PolicyPackError(`${what}: ${this.label} did not answer within ${seconds(this.parts.callTimeoutMs)}`, error.details);
        }
        return new PolicyPackError(`${what} failed in ${this.label}: ${withoutStackFrames(error.details || error.message)}`, error.details);
    }
}

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
