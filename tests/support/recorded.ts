/**
 * Small readers over a recorded program run (`tools/mock-runtime.ts`), shared by the component,
 * stack and determinism specs. They throw with the names that exist when a lookup misses, so a
 * failing spec says what the program registered instead.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, RecordedResource, runProgram } from "../../tools/mock-runtime";

export const TYPES = {
    provider: "pulumi:providers:aws",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    function: "aws:lambda/function:Function",
    mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    kmsKey: "aws:kms/key:Key",
    cluster: "aws:ecs/cluster:Cluster",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    repository: "aws:ecr/repository:Repository",
    vpc: "awsx:ec2:Vpc",
    image: "awsx:ecr:Image",
    consumerQueue: "event-pipeline:messaging:ConsumerQueue",
    eventTopic: "event-pipeline:messaging:EventTopic",
    queueFunction: "event-pipeline:compute:QueueFunction",
    workerService: "event-pipeline:compute:QueueWorkerService",
    workerImage: "event-pipeline:compute:WorkerImage",
    alarmTopic: "event-pipeline:observability:AlarmTopic",
    pipelineDashboard: "event-pipeline:observability:PipelineDashboard",
    network: "event-pipeline:network:Network",
} as const;

export interface Statement {
    Sid?: string;
    Effect: string;
    Principal?: unknown;
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one resource of `type` named `name` (or the only one of its type when no name is given). */
export function one(run: ProgramRun, type: string, name?: string): RecordedResource {
    const candidates = ofType(run, type).filter((r) => name === undefined || r.name === name);
    assert.equal(
        candidates.length,
        1,
        `expected one ${type}${name ? ` named ${name}` : ""}; registered: ${ofType(run, type).map((r) => r.name).join(", ") || "none"}`,
    );
    return candidates[0]!;
}

/** Children of a component (direct), optionally of one type. */
export function childrenOf(run: ProgramRun, parent: RecordedResource, type?: string): RecordedResource[] {
    return run.resources.filter((r) => r.parent === parent.urn && (type === undefined || r.type === type));
}

/** A JSON-text input (policies, redrive policies, container definitions, dashboard body) as data. */
export function parseJson<T = unknown>(value: unknown): T {
    assert.equal(typeof value, "string", `expected JSON text, got ${JSON.stringify(value)}`);
    return JSON.parse(value as string) as T;
}

export function statementsOf(policyText: unknown): Statement[] {
    const document = parseJson<{ Version: string; Statement: Statement[] }>(policyText);
    assert.equal(document.Version, "2012-10-17");
    return document.Statement;
}

export function statement(statements: Statement[], sid: string): Statement {
    const found = statements.find((s) => s.Sid === sid);
    assert.ok(found, `no statement ${sid}; have ${statements.map((s) => s.Sid).join(", ")}`);
    return found;
}

export function asList<T>(value: T | T[]): T[] {
    return Array.isArray(value) ? value : [value];
}

/** Where the per-spec programs live; each reads its component's arguments from `fixture:args`. */
export function fixtureProgram(name: string): string {
    return path.resolve(__dirname, "..", "components", "programs", `${name}.ts`);
}

/** Runs one fixture program with `args` merged over the program's defaults. */
export function runFixture(name: string, args: Record<string, unknown> = {}, options: { preview?: boolean; stack?: string } = {}): Promise<ProgramRun> {
    return runProgram({
        stack: options.stack ?? "test",
        config: { "aws:region": "us-east-1", "fixture:args": JSON.stringify(args) },
        preview: options.preview,
        program: fixtureProgram(name),
    });
}

/** Asserts `fn` throws a `pulumi.RunError` (printed without a stack trace) whose message matches every pattern. */
export function assertRunError(fn: () => unknown, ...patterns: RegExp[]): string {
    let thrown: unknown;
    try {
        fn();
    } catch (e) {
        thrown = e;
    }
    assert.ok(thrown !== undefined, "expected an error, nothing was thrown");
    assert.ok(pulumi.RunError.isInstance(thrown), `expected a pulumi.RunError, got ${String(thrown)}`);
    const message = (thrown as Error).message;
    for (const pattern of patterns) {
        assert.match(message, pattern);
    }
    return message;
}

/** Reads an Output's value by awaiting it (an assertion inside `apply` would be lost). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}
