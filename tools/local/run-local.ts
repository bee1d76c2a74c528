/**
 * `npm run local`'s engine: the stack's program under the mock runtime exactly as the check runs
 * it, what it declares created on the SNS/SQS and DynamoDB emulators, every consumer running its
 * real code with the environment the program gives it, events published, and the trace and
 * verdict of what happened. Everything it starts is stopped before it returns or throws.
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ConfigError, parseStackConfig, type PipelineConfig } from "../../config";
import { ConsumerEnv } from "../../consumers/shared/settings";
import { InvalidStackConfig } from "../check/run-check";
import { type ProgramRun, type RecordedResource, runProgram } from "../mock-runtime";
import { THIS_PROJECT_ROOT } from "../project";
import { readStackConfig } from "../stack-files";
import { type Emulators, startEmulators } from "./emulators";
import { EventSourceMapping } from "./event-source-mapping";
import { LambdaEnvironment } from "./lambda-environment";
import { NOT_MODELLED } from "./not-modelled";
import { captureOutput } from "./output";
import { type LocalQueue, provision, type Provisioned } from "./provision";
import { eventTypes, planMessages, type PublishPlan, publishPlan } from "./publisher";
import { observeSqsClient, RunRecorder } from "./recorder";
import { createTimeScale, defaultFactor, describeScale, type TimeScale } from "./time-scale";
import { consumerQueue, type ConsumerSpec, deadLetterQueueOf, type EcsConsumerSpec, type LambdaConsumerSpec, readTopology, type Topology } from "./topology";
import { buildReport, type ConsumerState, type LocalReport } from "./verdict";
import { WorkerTask } from "./worker-task";

export const DEFAULT_COUNTS = { events: 20, duplicates: 2, poison: 1 } as const;

/** The whole run must stay under a minute; the program and start-up take a few seconds of it. */
const MAX_SETTLE_MS = 45_000;
const SETTLE_POLL_MS = 100;

export interface LocalRunOptions {
    stack: string;
    events?: number;
    duplicates?: number;
    poison?: number;
    /** Holds `Pulumi.yaml` and the stack files; the project root by default. */
    root?: string;
    /** A recorded run of the stack's program to use instead of running it again (tests share one). */
    programRun?: ProgramRun;
    /** A change to the recorded resources before they are read (tests break the pipeline on purpose with it). */
    mutate?: (resources: RecordedResource[]) => RecordedResource[];
    /** Program seconds per local second; by default the shortest consumer visibility timeout becomes 1 s. */
    timeScale?: number;
    /** How long to wait for every consumer queue to empty; by default what the slowest redrive needs, plus margin. */
    settleTimeoutMs?: number;
    /** Aborting stops everything and rejects with `LocalRunAborted`. */
    signal?: AbortSignal;
    /** Each line a consumer logs, prefixed with its name. */
    log?: (line: string) => void;
    /** What the run is doing, for a person watching. */
    progress?: (line: string) => void;
}

export interface LocalRun {
    report: LocalReport;
    /** The scaled times, for the output. */
    scale: string[];
    /** How each kind of consumer ran here, and what the emulators stood in for. */
    notes: string[];
    notModelled: readonly string[];
    /** Process ids of the Lambda execution environments (all ended when the run returns). */
    processIds: number[];
    seconds: number;
}

export class LocalRunAborted extends Error {
    public override readonly name = "LocalRunAborted";
    constructor() {
        super("The local run was interrupted; everything it started has been stopped.");
    }
}

/** Bad numbers on the command line or in the options: a message for a person, before anything starts. */
export class LocalUsageError extends Error {
    public override readonly name = "LocalUsageError";
}

function validateCounts(events: number, duplicates: number, poison: number): void {
    const problems: string[] = [];
    if (!Number.isInteger(events) || events < 1 || events > 1000) {
        problems.push(`--events must be a whole number from 1 to 1000 (got ${events})`);
    }
    if (!Number.isInteger(duplicates) || duplicates < 0 || duplicates > events) {
        problems.push(`--duplicates must be a whole number from 0 to the number of events, ${events} (got ${duplicates})`);
    }
    if (!Number.isInteger(poison) || poison < 0 || poison > 100) {
        problems.push(`--poison must be a whole number from 0 to 100 (got ${poison})`);
    }
    if (problems.length > 0) {
        throw new LocalUsageError(problems.join("; "));
    }
}

function loadConfig(root: string, stack: string): { config: PipelineConfig; raw: ReturnType<typeof readStackConfig> } {
    const raw = readStackConfig(root, stack);
    try {
        return { config: parseStackConfig(raw.config, stack), raw };
    } catch (error) {
        if (error instanceof ConfigError) {
            throw new InvalidStackConfig(`Pulumi.${stack}.yaml: ${error.message}`);
        }
        throw error;
    }
}

/** Rejects as soon as `signal` aborts; otherwise settles as `promise` does. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (signal === undefined) {
        return promise;
    }
    return new Promise<T>((resolve, reject) => {
        if (signal.aborted) {
            reject(new LocalRunAborted());
            return;
        }
        const onAbort = () => reject(new LocalRunAborted());
        signal.addEventListener("abort", onAbort, { once: true });
        promise.then(
            (value) => {
                signal.removeEventListener("abort", onAbort);
                resolve(value);
            },
            (error: unknown) => {
                signal.removeEventListener("abort", onAbort);
                reject(error);
            },
        );
    });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function queueCounts(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
        }),
    );
    return {
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
}

/** Every message of a queue nobody else reads any more (the run's consumers have stopped). */
async function drain(sqs: SQSClient, url: string): Promise<string[]> {
    const bodies: string[] = [];
    for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 600 }));
        if (Messages.length === 0) {
            return bodies;
        }
        bodies.push(...Messages.map((m) => m.Body ?? ""));
    }
}

interface RunningConsumer {
    spec: ConsumerSpec;
    queue: LocalQueue;
    deadLetterQueue: LocalQueue | undefined;
    stop(): Promise<void>;
}

function localQueueOf(topology: Topology, provisioned: Provisioned, consumer: ConsumerSpec): { queue: LocalQueue; deadLetterQueue: LocalQueue | undefined } {
    const spec = consumerQueue(topology, consumer);
    const queue = provisioned.queues.get(spec.arn) as LocalQueue;
    const dlqSpec = deadLetterQueueOf(topology, spec);
    return { queue, deadLetterQueue: dlqSpec === undefined ? undefined : provisioned.queues.get(dlqSpec.arn) };
}

interface StartContext {
    topology: Topology;
    provisioned: Provisioned;
    emulators: Emulators;
    scale: TimeScale;
    recorder: RunRecorder;
    root: string;
    log: (line: string) => void;
    processIds: number[];
}

async function startLambda(consumer: LambdaConsumerSpec, context: StartContext): Promise<RunningConsumer> {
    const { topology, provisioned, emulators, scale, recorder, root, log, processIds } = context;
    const { queue, deadLetterQueue } = localQueueOf(topology, provisioned, consumer);
    const functionTimeout = scale.milliseconds(`${consumer.name}: function timeout`, consumer.timeoutSeconds);
    const window = scale.milliseconds(`${consumer.name}: batching window`, consumer.batchingWindowSeconds);
    const environment = await LambdaEnvironment.start({
        consumer,
        projectRoot: root,
        endpoints: emulators,
        onLine: (line) => {
            recorder.logLine(line, consumer.name);
            log(`[${consumer.name}] ${line}`);
        },
    });
    if (environment.pid !== undefined) {
        processIds.push(environment.pid);
    }
    const mapping = new EventSourceMapping({
        consumer,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: emulators.region,
        sqs: observeSqsClient(emulators.sqs(), consumer.name, recorder),
        environment,
        functionTimeoutMs: functionTimeout.localSeconds * 1000,
        batchingWindowMs: window.localSeconds * 1000,
        recorder,
    });
    mapping.start();
    return {
        spec: consumer,
        queue,
        deadLetterQueue,
        stop: async () => {
            await mapping.stop();
            await environment.stop();
        },
    };
}

function startWorkers(consumer: EcsConsumerSpec, context: StartContext): RunningConsumer {
    const { topology, provisioned, emulators, scale, recorder } = context;
    const { queue, deadLetterQueue } = localQueueOf(topology, provisioned, consumer);
    const env: Record<string, string> = { ...consumer.environment, [ConsumerEnv.QUEUE_URL]: queue.url };
    for (const key of [ConsumerEnv.VISIBILITY_TIMEOUT_SECONDS, ConsumerEnv.STOP_TIMEOUT_SECONDS]) {
        if (env[key] !== undefined && Number.isFinite(Number(env[key]))) {
            env[key] = String(scale.wholeSeconds(`${consumer.name}: ${key}`, Number(env[key])).localSeconds);
        }
    }
    // The worker's own default: a heartbeat every third of the visibility timeout it uses.
    const visibility = Number(env[ConsumerEnv.VISIBILITY_TIMEOUT_SECONDS] ?? consumerQueue(topology, consumer).visibilityTimeoutSeconds);
    const heartbeatIntervalMs = Math.floor((visibility * 1000) / 3);
    const tasks = Array.from(
        { length: Math.max(1, consumer.minTasks) },
        () =>
            new WorkerTask({
                env,
                sqs: observeSqsClient(emulators.sqs(), consumer.name, recorder),
                dynamoDb: emulators.dynamoDb(),
                heartbeatIntervalMs,
            }),
    );
    for (const task of tasks) {
        void task.exited.then((code) => {
            if (code !== 0) {
                recorder.errors.push(`${consumer.name}: a worker task exited with code ${code} (its log says why)`);
            }
        });
    }
    return {
        spec: consumer,
        queue,
        deadLetterQueue,
        stop: async () => {
            await Promise.all(tasks.map((task) => task.stop()));
        },
    };
}

/** What the idempotency records say about the table's TTL: a record it would never delete is a problem. */
async function ttlProblems(topology: Topology, emulators: Emulators): Promise<string[]> {
    const problems: string[] = [];
    const now = Date.now() / 1000;
    for (const table of topology.tables) {
        if (table.ttl?.enabled !== true) {
            continue;
        }
        const { Items = [] } = await emulators.dynamoDb().send(new ScanCommand({ TableName: table.name }));
        const attribute = table.ttl.attributeName;
        // Epoch seconds, in the future, and not milliseconds (which DynamoDB's TTL would read as far future).
        const unusable = Items.filter((item) => {
            const value = Number(item[attribute]?.N);
            return !(value > now && value < now + 10 * 365 * 24 * 3600);
        });
        if (unusable.length > 0) {
            problems.push(`${unusable.length} of ${Items.length} records in ${table.name} carry no "${attribute}" in epoch seconds: its TTL would never delete them`);
        }
    }
    return problems;
}

export async function runLocal(options: LocalRunOptions): Promise<LocalRun> {
    const started = Date.now();
    const counts = {
        events: options.events ?? DEFAULT_COUNTS.events,
        duplicates: options.duplicates ?? DEFAULT_COUNTS.duplicates,
        poison: options.poison ?? DEFAULT_COUNTS.poison,
    };
    validateCounts(counts.events, counts.duplicates, counts.poison);
    const root = options.root ?? THIS_PROJECT_ROOT;
    const { signal } = options;
    const progress = options.progress ?? (() => undefined);
    const log = options.log ?? (() => undefined);
    const { config, raw } = loadConfig(root, options.stack);

    const recorder = new RunRecorder();
    // The in-process workers log through Powertools, which writes to this process's stdout and stderr.
    const serviceToConsumer = new Map<string, string>();
    const restoreOutput = captureOutput((line) => {
        recorder.logLine(line);
        let service: string | undefined;
        try {
            service = (JSON.parse(line) as { service?: string }).service;
        } catch {
            // not a JSON line
        }
        const consumer = serviceToConsumer.get(service ?? "");
        log(consumer === undefined ? line : `[${consumer}] ${line}`);
    });
    let emulators: Emulators | undefined;
    const running: RunningConsumer[] = [];
    const processIds: number[] = [];
    try {
        progress(`Running the ${options.stack} program under the mock runtime…`);
        const run = options.programRun ?? (await abortable(runProgram({ stack: options.stack, config: raw.config, secretKeys: raw.secretKeys, preview: false }), signal));
        const resources = options.mutate ? options.mutate(run.resources) : run.resources;
        const topology = readTopology(resources);
        if (topology.topics.length !== 1) {
            throw new Error(`The ${options.stack} program declares ${topology.topics.length} topics with queue subscriptions; the local run publishes to exactly one`);
        }
        for (const consumer of topology.consumers) {
            const { environment } = consumer;
            serviceToConsumer.set(environment[ConsumerEnv.POWERTOOLS_SERVICE_NAME] ?? environment[ConsumerEnv.CONSUMER_NAME] ?? consumer.name, consumer.name);
        }
        const scale = createTimeScale(options.timeScale ?? defaultFactor(topology));
        // Visibility timeouts are scaled on the queues themselves, so SQS (here fauxqs) applies them.
        for (const queue of topology.queues) {
            if (queue.attributes.VisibilityTimeout !== undefined) {
                queue.attributes.VisibilityTimeout = String(scale.wholeSeconds(`${queue.logicalName}: visibility timeout`, queue.visibilityTimeoutSeconds).localSeconds);
            }
        }

        progress("Starting the emulators (fauxqs: SNS and SQS; dynalite: DynamoDB) and creating what the program declares…");
        emulators = await abortable(startEmulators(config.region), signal);
        const provisioned = await abortable(provision(topology, { sqs: emulators.sqs(), sns: emulators.sns(), dynamoDb: emulators.dynamoDb() }), signal);

        progress(`Starting ${topology.consumers.length} consumers with their real code…`);
        const context: StartContext = { topology, provisioned, emulators, scale, recorder, root, log, processIds };
        const lambdas = topology.consumers.filter((c): c is LambdaConsumerSpec => c.kind === "lambda");
        const ecs = topology.consumers.filter((c): c is EcsConsumerSpec => c.kind === "ecs");
        running.push(...ecs.map((c) => startWorkers(c, context)));
        const startedLambdas = await Promise.allSettled(lambdas.map((c) => startLambda(c, context)));
        for (const result of startedLambdas) {
            if (result.status === "fulfilled") {
                running.push(result.value);
            }
        }
        const failedStart = startedLambdas.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failedStart !== undefined) {
            throw failedStart.reason;
        }
        signal?.throwIfAborted();
        progress(`Consumers running (Lambda execution environments: pid ${processIds.join(", ") || "none"}).`);

        const plan: PublishPlan = planMessages(eventTypes(config.consumers), counts);
        const topicArn = provisioned.topicArns.get(topology.topics[0].arn) as string;
        progress(`Publishing ${counts.events} event(s), ${counts.duplicates} duplicate(s) and ${counts.poison} poison message(s)…`);
        await abortable(publishPlan(emulators.sns(), topicArn, plan, signal), signal);

        const slowest = Math.max(
            0,
            ...running.map((c) => (c.queue.spec.redrive?.maxReceiveCount ?? 1) * Number(c.queue.spec.attributes.VisibilityTimeout ?? 1)),
        );
        const settleTimeoutMs = options.settleTimeoutMs ?? Math.min(MAX_SETTLE_MS, slowest * 1000 + 10_000);
        progress(`Waiting until every consumer queue is empty (a poison message needs up to ${slowest} s here; giving up after ${Math.round(settleTimeoutMs / 1000)} s)…`);
        const monitor = emulators.sqs();
        const deadline = Date.now() + settleTimeoutMs;
        let settled = false;
        while (!settled && Date.now() < deadline) {
            await abortable(sleep(SETTLE_POLL_MS), signal);
            const remaining = await Promise.all(running.map((c) => queueCounts(monitor, c.queue.url)));
            settled = remaining.every((r) => r.visible + r.inFlight + r.delayed === 0);
        }
        const settledAfter = (Date.now() - started) / 1000;

        progress("Stopping the consumers…");
        const stopping = running.splice(0);
        await Promise.all(stopping.map((c) => c.stop()));
        // In the stack config's order.
        const order = (c: RunningConsumer) => config.consumers.findIndex((configured) => configured.name === c.spec.name);
        stopping.sort((a, b) => order(a) - order(b));

        const states: ConsumerState[] = [];
        for (const consumer of stopping) {
            states.push({
                name: consumer.spec.name,
                kind: consumer.spec.kind,
                config: config.consumers.find((c) => c.name === consumer.spec.name),
                queueName: consumer.queue.spec.name,
                deadLetterQueueName: consumer.deadLetterQueue?.spec.name ?? "(none)",
                deadLetterBodies: consumer.deadLetterQueue === undefined ? [] : await drain(monitor, consumer.deadLetterQueue.url),
                remaining: await queueCounts(monitor, consumer.queue.url),
            });
        }
        const problems: string[] = [];
        for (const configured of config.consumers) {
            if (!states.some((s) => s.name === configured.name)) {
                problems.push(`consumer ${configured.name} of the stack config has no queue read by a function or service in the program`);
            }
        }
        if (!settled) {
            problems.push(`the consumer queues were not empty ${Math.round(settleTimeoutMs / 1000)} s after publishing (${settledAfter.toFixed(1)} s into the run)`);
        }
        problems.push(...(await ttlProblems(topology, emulators)));
        const report = buildReport({ stack: options.stack, plan, consumers: states, recorder, problems });
        return {
            report,
            scale: describeScale(scale),
            notes: runNotes(topology, provisioned, recorder, counts),
            notModelled: NOT_MODELLED,
            processIds,
            seconds: (Date.now() - started) / 1000,
        };
    } finally {
        await Promise.allSettled(running.map((c) => c.stop()));
        await emulators?.stop();
        restoreOutput();
    }
}

function runNotes(topology: Topology, provisioned: Provisioned, recorder: RunRecorder, counts: { events: number; duplicates: number; poison: number }): string[] {
    const notes: string[] = [];
    for (const consumer of topology.consumers) {
        if (consumer.kind === "lambda") {
            notes.push(
                `${consumer.name}: Lambda function ${consumer.functionName} (${consumer.runtime}) — its bundle ${consumer.codeDir}/${consumer.handler} in one execution environment ` +
                    `(a child process on this machine's Node.js ${process.version}), fed by an SQS event source mapping: batch size ${consumer.batchSize}, ` +
                    `batching window ${consumer.batchingWindowSeconds} s, ${consumer.reportBatchItemFailures ? "partial batch responses" : "whole-batch retries"}.`,
            );
        } else {
            notes.push(
                `${consumer.name}: ECS service ${consumer.serviceName} — image ${consumer.image} stood in for by this repository's worker loop (consumers/worker), ` +
                    `${Math.max(1, consumer.minTasks)} task(s) in this process.`,
            );
        }
    }
    notes.push(...provisioned.tableNotes);
    const overran = recorder.invocations.filter((i) => i.overran);
    if (overran.length > 0) {
        notes.push(`${overran.length} Lambda invocation(s) ran longer than the scaled function timeout; Lambda would have stopped them (not enforced here).`);
    }
    for (const invocation of recorder.invocations.filter((i) => i.error !== undefined)) {
        notes.push(`${invocation.consumer}: an invocation of ${invocation.records} record(s) failed as a whole: ${invocation.error}`);
    }
    notes.push(...recorder.errors);
    const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
    notes.push(
        `Published ${plural(counts.events, "event")}, ${plural(counts.duplicates, "exact duplicate")} (same event id) and ${plural(counts.poison, "poison message")} (not CloudEvents).`,
    );
    return notes;
}
