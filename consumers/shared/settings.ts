/**
 * The environment contract between the Pulumi program and the consumer code (Lambda and worker).
 * Read in one place so that a missing variable fails at start-up with every problem named,
 * instead of as a confusing error on the first message.
 */

/**
 * The variables of the contract, by name: the program sets them (`index.ts`; `QueueWorkerService`
 * adds the queue and the region) and the code here reads them. Powertools reads its `POWERTOOLS_*`
 * variables itself too; only local runs set `POWERTOOLS_IDEMPOTENCY_DISABLED`.
 */
export enum ConsumerEnv {
    CONSUMER_NAME = "CONSUMER_NAME",
    IDEMPOTENCY_TABLE_NAME = "IDEMPOTENCY_TABLE_NAME",
    QUEUE_URL = "QUEUE_URL",
    AWS_REGION = "AWS_REGION",
    VISIBILITY_TIMEOUT_SECONDS = "VISIBILITY_TIMEOUT_SECONDS",
    STOP_TIMEOUT_SECONDS = "STOP_TIMEOUT_SECONDS",
    POWERTOOLS_SERVICE_NAME = "POWERTOOLS_SERVICE_NAME",
    POWERTOOLS_METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE",
    POWERTOOLS_LOG_LEVEL = "POWERTOOLS_LOG_LEVEL",
    POWERTOOLS_IDEMPOTENCY_DISABLED = "POWERTOOLS_IDEMPOTENCY_DISABLED",
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface ConsumerSettings {
    /** Identifies this consumer in idempotency keys: SNS fans one event out to every consumer. */
    consumerName: string;
    serviceName: string;
    /** Undefined: Powertools falls back to its default namespace (local runs only). */
    metricsNamespace: string | undefined;
    logLevel: string | undefined;
    /** Undefined exactly when idempotency is disabled. */
    idempotencyTableName: string | undefined;
}

export interface WorkerSettings extends ConsumerSettings {
    queueUrl: string;
    visibilityTimeoutSeconds: number;
    stopTimeoutSeconds: number;
}

/** ECS waits 30 s by default between SIGTERM and SIGKILL; leave time to delete and exit. */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 25;

export class SettingsError extends Error {
    public override readonly name = "SettingsError";
    constructor(public readonly problems: readonly string[]) {
        super(`Invalid environment: ${problems.join("; ")}`);
    }
}

export function readConsumerSettings(env: Env): ConsumerSettings {
    const problems: string[] = [];
    const settings = consumerSettings(env, problems);
    if (problems.length > 0) {
        throw new SettingsError(problems);
    }
    return settings;
}

export function readWorkerSettings(env: Env): WorkerSettings {
    const problems: string[] = [];
    const consumer = consumerSettings(env, problems);
    const queueUrl = nonEmpty(env[ConsumerEnv.QUEUE_URL]);
    if (queueUrl === undefined) {
        problems.push(`${ConsumerEnv.QUEUE_URL} is required`);
    }
    if (nonEmpty(env[ConsumerEnv.AWS_REGION]) === undefined) {
        problems.push(`${ConsumerEnv.AWS_REGION} is required`);
    }
    // SQS allows 0–43,200 s; 0 would make every received message visible to other workers at once.
    const visibilityTimeoutSeconds = integer(env, ConsumerEnv.VISIBILITY_TIMEOUT_SECONDS, undefined, 1, 43_200, problems);
    const stopTimeoutSeconds = integer(env, ConsumerEnv.STOP_TIMEOUT_SECONDS, DEFAULT_STOP_TIMEOUT_SECONDS, 1, 120, problems);
    if (problems.length > 0) {
        throw new SettingsError(problems);
    }
    return {
        ...consumer,
        queueUrl: queueUrl as string,
        visibilityTimeoutSeconds: visibilityTimeoutSeconds as number,
        stopTimeoutSeconds: stopTimeoutSeconds as number,
    };
}

/** Same spellings as Powertools' own `POWERTOOLS_*` boolean parsing, so both agree. */
export function isTruthy(value: string | undefined): boolean {
    return ["1", "y", "yes", "t", "true", "on"].includes((value ?? "").trim().toLowerCase());
}

function consumerSettings(env: Env, problems: string[]): ConsumerSettings {
    const idempotencyDisabled = isTruthy(env[ConsumerEnv.POWERTOOLS_IDEMPOTENCY_DISABLED]);
    let consumerName = nonEmpty(env[ConsumerEnv.CONSUMER_NAME]);
    let idempotencyTableName: string | undefined;
    if (idempotencyDisabled) {
        // Local runs set only AWS_REGION and POWERTOOLS_*: no key to build, so any name will do.
        consumerName ??= nonEmpty(env[ConsumerEnv.POWERTOOLS_SERVICE_NAME]) ?? "local-consumer";
    } else {
        // Without the consumer name two consumers of one event would share an idempotency key
        // and the second would skip the event: refuse to start rather than lose messages.
        if (consumerName === undefined) {
            problems.push(`${ConsumerEnv.CONSUMER_NAME} is required unless ${ConsumerEnv.POWERTOOLS_IDEMPOTENCY_DISABLED}=true`);
        }
        idempotencyTableName = nonEmpty(env[ConsumerEnv.IDEMPOTENCY_TABLE_NAME]);
        if (idempotencyTableName === undefined) {
            problems.push(`${ConsumerEnv.IDEMPOTENCY_TABLE_NAME} is required unless ${ConsumerEnv.POWERTOOLS_IDEMPOTENCY_DISABLED}=true`);
        }
    }
    return {
        consumerName: consumerName ?? "",
        serviceName: nonEmpty(env[ConsumerEnv.POWERTOOLS_SERVICE_NAME]) ?? consumerName ?? "",
        metricsNamespace: nonEmpty(env[ConsumerEnv.POWERTOOLS_METRICS_NAMESPACE]),
        logLevel: nonEmpty(env[ConsumerEnv.POWERTOOLS_LOG_LEVEL]),
        idempotencyTableName,
    };
}

function nonEmpty(value: string | undefined): string | undefined {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
}

function integer(
    env: Env,
    key: ConsumerEnv,
    fallback: number | undefined,
    min: number,
    max: number,
    problems: string[],
): number | undefined {
    const raw = nonEmpty(env[key]);
    if (raw === undefined) {
        if (fallback === undefined) {
            problems.push(`${key} is required`);
        }
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${key} must be an integer from ${min} to ${max} (got "${raw}")`);
        return undefined;
    }
    return value;
}
