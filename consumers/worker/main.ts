/**
 * Container entry point. ECS sends SIGTERM on scale-in and deployments and SIGKILL after the
 * container's stop timeout: on SIGTERM the worker stops receiving, lets in-flight messages finish
 * within STOP_TIMEOUT_SECONDS, deletes only what was processed and exits 0, so that a routine
 * stop is neither reported as a failure nor loses work.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { createConsumerRuntime, type RuntimeOverrides } from "../shared/runtime";
import { type Env, readWorkerSettings } from "../shared/settings";
import type { Clock } from "./clock";
import { QueueWorker, type WorkerSummary } from "./worker";

type StopSignal = "SIGTERM" | "SIGINT";

/** `process`, or an emitter a test controls. */
export interface SignalSource {
    once(event: StopSignal, listener: (signal: NodeJS.Signals) => void): unknown;
    off(event: StopSignal, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface MainOptions extends RuntimeOverrides {
    env?: Env;
    signals?: SignalSource;
    sqs?: SQSClient;
    clock?: Clock;
    heartbeatIntervalMs?: number;
    /** Called with the summary when the loop has ended; tests inspect it. */
    onStopped?: (summary: WorkerSummary) => void;
}

export async function main(options: MainOptions = {}): Promise<number> {
    const env = options.env ?? process.env;
    let settings;
    try {
        settings = readWorkerSettings(env);
    } catch (error) {
        // No logger yet (it needs the settings): one JSON line, like every other line we write.
        process.stderr.write(`${JSON.stringify({ level: "CRITICAL", message: (error as Error).message })}\n`);
        return 1;
    }

    const { logger, metrics, processor } = createConsumerRuntime(settings, options);
    const stop = new AbortController();
    const signals = options.signals ?? process;
    const onSignal = (signal: NodeJS.Signals) => {
        logger.info("Stop requested: no more receives, finishing in-flight messages", {
            signal,
            stopTimeoutSeconds: settings.stopTimeoutSeconds,
        });
        stop.abort();
    };
    // `once`: a second Ctrl-C falls through to Node's default handler and ends a local run at once.
    signals.once("SIGTERM", onSignal);
    signals.once("SIGINT", onSignal);

    try {
        const worker = new QueueWorker({
            sqs: options.sqs ?? new SQSClient({}),
            queueUrl: settings.queueUrl,
            processor,
            logger,
            metrics,
            visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
            stopTimeoutMs: settings.stopTimeoutSeconds * 1_000,
            ...(options.heartbeatIntervalMs !== undefined && { heartbeatIntervalMs: options.heartbeatIntervalMs }),
            ...(options.clock !== undefined && { clock: options.clock }),
        });
        const summary = await worker.run(stop.signal);
        options.onStopped?.(summary);
        return 0;
    } catch (error) {
        logger.critical("Worker crashed", error as Error);
        return 1;
    } finally {
        signals.off("SIGTERM", onSignal);
        signals.off("SIGINT", onSignal);
        if (metrics.hasStoredMetrics()) {
            metrics.publishStoredMetrics();
        }
    }
}

if (require.main === module) {
    // Exit explicitly: work abandoned at the stop timeout may still hold the event loop open.
    void main().then((code) => process.exit(code));
}
