/**
 * An ECS task of a worker service, in this process: this repository's worker loop
 * (`consumers/worker/main.ts`, the code the image is built from) with the container's environment
 * from the task definition, talking to the emulators. Whatever image the stack deploys, the worker
 * code in this tree stands in for it. Stopping sends it SIGTERM — on its own signal source, not this
 * process's — as ECS does on scale-in, and waits for it to drain.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { EventEmitter } from "node:events";
import { main } from "../../consumers/worker/main";
import type { WorkerSummary } from "../../consumers/worker/worker";

export interface WorkerTaskOptions {
    /** The container's environment, as the task definition sets it (with the local queue URL and scaled times). */
    env: Record<string, string>;
    sqs: SQSClient;
    dynamoDb: DynamoDBClient;
    heartbeatIntervalMs: number;
}

export class WorkerTask {
    readonly #signals = new EventEmitter();
    readonly #exit: Promise<number>;
    #summary: WorkerSummary | undefined;

    constructor(options: WorkerTaskOptions) {
        this.#exit = main({
            env: options.env,
            signals: this.#signals,
            sqs: options.sqs,
            dynamoDbClient: options.dynamoDb,
            heartbeatIntervalMs: options.heartbeatIntervalMs,
            onStopped: (summary) => (this.#summary = summary),
        });
    }

    /** What the worker reported when it stopped. */
    get summary(): WorkerSummary | undefined {
        return this.#summary;
    }

    /** Resolves with the worker's exit code if it ends on its own (a bad environment: 1). */
    get exited(): Promise<number> {
        return this.#exit;
    }

    /** SIGTERM, then the worker's own drain (up to its STOP_TIMEOUT_SECONDS); resolves with its exit code. */
    stop(): Promise<number> {
        this.#signals.emit("SIGTERM", "SIGTERM");
        return this.#exit;
    }
}
