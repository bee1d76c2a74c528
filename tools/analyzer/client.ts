/**
 * Drives a policy pack exactly as `pulumi preview --policy-pack <dir>` does, without the CLI: the
 * pack's process started as the CLI starts it (`pack-process.ts`), then the Analyzer gRPC
 * protocol (`messages.ts`) over an insecure local channel, one connection for every call. Calls
 * fail with a `PolicyPackError` that says what the pack did: exited, stopped answering, or threw.
 */
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { analyzeRequest, analyzeStackRequest, analyzerInfo, configureRequest, configureStackRequest, violations } from "./messages";
import { PackProcess, PackProcessOptions, seconds, startPackProcess } from "./pack-process";
import { AnalyzedResource, AnalyzerInfo, PolicyConfigMap, PolicyPackError, StackConfiguration, Violation } from "./types";

/** The CLI's channel limit (`rpcutil.GrpcChannelOptions`), matching the pack server's. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
/** So a policy that never settles cannot hang the caller. */
const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** Requests in flight let the client build the next message while the pack judges one. */
const DEFAULT_CONCURRENCY = 16;

export interface StartOptions extends PackProcessOptions {
    /** Deadline of each call (default `DEFAULT_CALL_TIMEOUT_MS`). */
    callTimeoutMs?: number;
}

export interface AnalyzeAllOptions {
    /** Requests in flight at once on the one connection (default `DEFAULT_CONCURRENCY`). */
    concurrency?: number;
}

/**
 * Starts the pack in `packDir` and connects to it. Fails with a `PolicyPackError` saying why (the
 * pack's stderr when it exits, what it printed instead of a port, that no port came in time, or
 * that the port refused the connection); the process is gone by then.
 */
export async function startPolicyPack(packDir: string, options: StartOptions = {}): Promise<PolicyPackClient> {
    const pack = await startPackProcess(packDir, options);
    const grpcClient = new AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
    const ready = await new Promise<Error | undefined>((resolve) => grpcClient.waitForReady(Date.now() + 10_000, (e) => resolve(e ?? undefined)));
    if (ready) {
        grpcClient.close();
        return pack.stopAndFail(`the policy pack in ${pack.directory} printed port ${pack.port} but does not accept connections: ${ready.message}`);
    }
    // A forgotten close() must not keep the caller alive; the exit hook then stops the pack.
    pack.unref();
    return new PolicyPackClient(pack, grpcClient, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
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

/** A running policy pack; one connection, reused by every call. */
export class PolicyPackClient {
    /** Where the pack runs from. */
    readonly directory: string;
    readonly port: number;
    /** Milliseconds from spawn to the port printed. */
    readonly startupMs: number;
    private label: string;
    private closing: Promise<void> | undefined;

    constructor(
        private readonly pack: PackProcess,
        private readonly grpcClient: AnalyzerClient,
        private readonly callTimeoutMs: number,
    ) {
        this.directory = pack.directory;
        this.port = pack.port;
        this.startupMs = pack.startupMs;
        this.label = `the policy pack in ${pack.directory}`;
    }

    get pid(): number {
        return this.pack.pid;
    }

    /** Lines the pack wrote after its port (stdout and stderr), the last few hundred. */
    output(): { stdout: string[]; stderr: string[] } {
        return this.pack.output();
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const response = await this.call(this.grpcClient.getAnalyzerInfo, new Empty(), "GetAnalyzerInfo");
        const info = analyzerInfo(response, this.pack.project.version);
        this.label = `policy pack '${info.name}'`;
        return info;
    }

    /** Sends each policy's level and properties; like the CLI, sends nothing when `config` is empty. */
    async configure(config: PolicyConfigMap): Promise<void> {
        if (Object.keys(config).length === 0) {
            return;
        }
        await this.call(this.grpcClient.configure, configureRequest(config), "Configure");
    }

    async configureStack(stack: StackConfiguration): Promise<void> {
        await this.call(this.grpcClient.configureStack, configureStackRequest(stack), "ConfigureStack");
    }

    /** Resource policies on one resource's inputs; violations carry the resource's URN. */
    async analyze(resource: AnalyzedResource): Promise<Violation[]> {
        const response = await this.call(this.grpcClient.analyze, analyzeRequest(resource), `Analyze of ${resource.urn}`);
        return violations(response, resource.urn);
    }

    /**
     * `analyze` for each resource, with up to `concurrency` requests in flight on the one
     * connection; violations in the order of `resources`.
     */
    async analyzeAll(resources: readonly AnalyzedResource[], options: AnalyzeAllOptions = {}): Promise<Violation[]> {
        const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
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
        const response = await this.call(this.grpcClient.analyzeStack, analyzeStackRequest(resources), "AnalyzeStack");
        return violations(response);
    }

    /** Stops the pack and waits until its process is gone. Safe to call more than once. */
    close(): Promise<void> {
        if (!this.closing) {
            this.grpcClient.close();
            this.closing = this.pack.stop();
        }
        return this.closing;
    }

    private call<Request, Response>(method: UnaryCall<Request, Response>, request: Request, what: string): Promise<Response> {
        if (this.closing) {
            return Promise.reject(new PolicyPackError(`${what}: ${this.label} is closed`));
        }
        return new Promise<Response>((resolve, reject) => {
            const deadline = Date.now() + this.callTimeoutMs;
            method.call(this.grpcClient, request, new grpc.Metadata(), { deadline }, (error, response) => {
                if (error) {
                    this.failure(error, what).then(reject, reject);
                } else {
                    resolve(response);
                }
            });
        });
    }

    private async failure(error: grpc.ServiceError, what: string): Promise<PolicyPackError> {
        if (error.code === grpc.status.UNAVAILABLE) {
            // The connection broke: most likely the pack died. Give its exit a moment to be seen,
            // so the message can say how it ended and what it wrote.
            await this.pack.waitForExit(1_000);
        }
        const exitStatus = this.pack.exitStatus;
        if (exitStatus !== undefined || error.code === grpc.status.UNAVAILABLE) {
            const how = exitStatus !== undefined ? `exited (${exitStatus})` : "is not reachable";
            const said = this.pack.stderrText();
            return new PolicyPackError(`${what}: ${this.label} ${how}${said ? `:\n${said}` : ""}`, error.details);
        }
        if (error.code === grpc.status.DEADLINE_EXCEEDED) {
            return new PolicyPackError(`${what}: ${this.label} did not answer within ${seconds(this.callTimeoutMs)}`, error.details);
        }
        return new PolicyPackError(`${what} failed in ${this.label}: ${withoutStackFrames(error.details || error.message)}`, error.details);
    }
}
