/**
 * A Lambda execution environment for one function: a child process (see `lambda-runtime.ts`)
 * started with the function's environment variables and Lambda's own, that loads the deployed
 * handler from the function's code directory and runs invocations one at a time.
 *
 * It runs on this machine's Node.js, which may not be the version of the function's runtime
 * (`nodejs22.x`): the run says so in its output.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { transformSync } from "esbuild";
import { ConsumerEnv } from "../../consumers/shared/settings";
import { LOCAL_CREDENTIALS, type EmulatorEndpoints } from "./emulators";
import type { LambdaConsumerSpec } from "./topology";

export interface InvokeResult {
    response?: unknown;
    error?: { name: string; message: string };
}

export interface LambdaEnvironmentOptions {
    consumer: LambdaConsumerSpec;
    /** Where the code directory (`dist/functions/…`) is relative to. */
    projectRoot: string;
    endpoints: EmulatorEndpoints;
    /** Each line the function writes (its log stream), stdout and stderr alike. */
    onLine(line: string): void;
}

let runtimeSource: string | undefined;

/** The runtime's code as CommonJS, transpiled in memory: nothing is written to disk. */
function runtimeCode(): string {
    runtimeSource ??= transformSync(readFileSync(path.join(__dirname, "lambda-runtime.ts"), "utf8"), {
        loader: "ts",
        format: "cjs",
        target: "node20",
    }).code;
    return runtimeSource;
}

/** The variables a function sees: its own, then those Lambda reserves (which a function cannot override). */
export function lambdaEnvironmentVariables(consumer: LambdaConsumerSpec, codeDir: string, endpoints: EmulatorEndpoints): Record<string, string> {
    return {
        ...consumer.environment,
        [ConsumerEnv.AWS_REGION]: endpoints.region,
        AWS_DEFAULT_REGION: endpoints.region,
        AWS_EXECUTION_ENV: `AWS_Lambda_${consumer.runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: consumer.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(consumer.memoryMb),
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        AWS_LAMBDA_LOG_GROUP_NAME: consumer.logGroup ?? `/aws/lambda/${consumer.functionName}`,
        AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${randomUUID().replace(/-/g, "")}`,
        ...(consumer.logFormat !== undefined && { AWS_LAMBDA_LOG_FORMAT: consumer.logFormat }),
        LAMBDA_TASK_ROOT: codeDir,
        _HANDLER: consumer.handler,
        TZ: ":UTC",
        LANG: "en_US.UTF-8",
        PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
        // Locally: credentials any emulator accepts, and the emulators as the services' endpoints.
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDbEndpoint,
        AWS_ENDPOINT_URL_SQS: endpoints.messagingEndpoint,
        AWS_ENDPOINT_URL_SNS: endpoints.messagingEndpoint,
    };
}

export class LambdaEnvironment {
    readonly #child: ChildProcess;
    readonly #pending = new Map<number, (result: InvokeResult) => void>();
    readonly #exited: Promise<void>;
    readonly #invokedFunctionArn: string;
    #nextId = 1;

    private constructor(child: ChildProcess, invokedFunctionArn: string, outputRead: Promise<unknown>) {
        this.#child = child;
        this.#invokedFunctionArn = invokedFunctionArn;
        // Exited, and its output read to the end, so that the trace misses no line. (The child's own
        // `close` event never comes once the parent has disconnected the IPC channel.)
        const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        this.#exited = Promise.all([exit, outputRead]).then(() => undefined);
        child.on("message", (message: { type: string; id?: number; response?: unknown; error?: InvokeResult["error"] }) => {
            const settle = message.id === undefined ? undefined : this.#pending.get(message.id);
            if (settle !== undefined && message.id !== undefined) {
                this.#pending.delete(message.id);
                settle(message.type === "result" ? { response: message.response } : { error: message.error });
            }
        });
        // An environment that dies mid-invocation fails that invocation, as Lambda reports it.
        child.once("exit", (code, signal) => {
            for (const settle of this.#pending.values()) {
                settle({ error: { name: "Runtime.ExitError", message: `the execution environment exited (${signal ?? `code ${code}`})` } });
            }
            this.#pending.clear();
        });
    }

    get pid(): number | undefined {
        return this.#child.pid;
    }

    /** Starts the environment and waits for its init phase (loading the handler) to finish. */
    static async start(options: LambdaEnvironmentOptions): Promise<LambdaEnvironment> {
        const { consumer, projectRoot, endpoints, onLine } = options;
        const codeDir = path.resolve(projectRoot, consumer.codeDir);
        const separator = consumer.handler.lastIndexOf(".");
        const file = path.join(codeDir, consumer.handler.slice(0, separator));
        const exportName = consumer.handler.slice(separator + 1);
        const child = spawn(process.execPath, ["-e", runtimeCode(), file, exportName], {
            cwd: codeDir,
            env: lambdaEnvironmentVariables(consumer, codeDir, endpoints),
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        const outputRead = Promise.all(
            [child.stdout, child.stderr].map((stream) => {
                if (stream === null) {
                    return undefined;
                }
                const lines = createInterface({ input: stream });
                lines.on("line", onLine);
                return new Promise<void>((resolve) => lines.once("close", () => resolve()));
            }),
        );
        const environment = new LambdaEnvironment(child, consumer.functionArn, outputRead);
        await new Promise<void>((resolve, reject) => {
            const onMessage = (message: { type: string; error?: { message: string } }) => {
                if (message.type === "ready") {
                    cleanup();
                    resolve();
                } else if (message.type === "init-error") {
                    cleanup();
                    reject(new Error(`Lambda function ${consumer.name} failed to initialise: ${message.error?.message}`));
                }
            };
            const onExit = (code: number | null) => {
                cleanup();
                reject(new Error(`Lambda function ${consumer.name}'s execution environment exited during init (code ${code})`));
            };
            const onError = (error: Error) => {
                cleanup();
                reject(error);
            };
            const cleanup = () => {
                child.off("message", onMessage);
                child.off("exit", onExit);
                child.off("error", onError);
            };
            child.on("message", onMessage);
            child.once("exit", onExit);
            child.once("error", onError);
        }).catch(async (error: unknown) => {
            await environment.stop();
            throw error;
        });
        return environment;
    }

    /** One invocation; resolves with the handler's response or its error, never rejects. */
    invoke(event: unknown, deadline: number): Promise<InvokeResult> {
        const id = this.#nextId++;
        return new Promise((resolve) => {
            this.#pending.set(id, resolve);
            const sent = this.#child.connected && this.#child.send({ type: "invoke", id, event, deadline, requestId: randomUUID(), invokedFunctionArn: this.#invokedFunctionArn });
            if (!sent) {
                this.#pending.delete(id);
                resolve({ error: { name: "Runtime.ExitError", message: "the execution environment is not running" } });
            }
        });
    }

    /** Ends the environment: it exits when its IPC channel closes; SIGKILL if it has not within 2 s. */
    async stop(): Promise<void> {
        if (this.#child.connected) {
            this.#child.disconnect();
        }
        const timer = setTimeout(() => this.#child.kill("SIGKILL"), 2_000);
        await this.#exited;
        clearTimeout(timer);
    }
}
