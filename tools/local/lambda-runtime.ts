/**
 * One Lambda execution environment, run as its own process by `lambda-environment.ts`: its
 * environment is exactly the function's variables plus those Lambda itself sets, it loads the
 * handler once (the init phase), then runs one invocation at a time as the parent asks over IPC.
 * Its stdout and stderr are the function's log stream. Node built-ins only: this file is
 * transpiled on its own and run with `node -e`.
 *
 * argv: <handler file> <export name>
 */

export {};

interface InvokeRequest {
    type: "invoke";
    id: number;
    event: unknown;
    /** Epoch ms at which the (scaled) function timeout runs out. */
    deadline: number;
    requestId: string;
    invokedFunctionArn: string;
}

type Handler = (event: unknown, context: unknown) => unknown;

function send(message: unknown): void {
    process.send?.(message);
}

function describeError(error: unknown): { name: string; message: string } {
    return error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
}

function loadHandler(file: string, exportName: string): Handler {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = (require(file) as Record<string, unknown>)[exportName];
    if (typeof handler !== "function") {
        throw new Error(`${file} does not export a function named ${exportName}`);
    }
    return handler as Handler;
}

function invocationContext(request: InvokeRequest): Record<string, unknown> {
    const env = process.env;
    return {
        callbackWaitsForEmptyEventLoop: true,
        functionName: env.AWS_LAMBDA_FUNCTION_NAME,
        functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
        invokedFunctionArn: request.invokedFunctionArn,
        memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
        awsRequestId: request.requestId,
        logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
        logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
        getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
    };
}

function main(): void {
    const [file, exportName] = process.argv.slice(1);
    let handler: Handler;
    try {
        handler = loadHandler(file, exportName);
    } catch (error) {
        send({ type: "init-error", error: describeError(error) });
        process.disconnect?.();
        return;
    }
    process.on("message", (message: InvokeRequest) => {
        if (message?.type !== "invoke") {
            return;
        }
        Promise.resolve()
            .then(() => handler(message.event, invocationContext(message)))
            .then(
                (response) => send({ type: "result", id: message.id, response: response ?? null }),
                (error: unknown) => send({ type: "error", id: message.id, error: describeError(error) }),
            );
    });
    // The parent went away (it stopped the run, or died): an environment never outlives its poller.
    process.on("disconnect", () => process.exit(0));
    send({ type: "ready" });
}

main();
