/**
 * What the stacks run: the program deploys the bundle it builds, and the consumers reach their
 * idempotency table with exactly the actions Powertools uses, on that table only.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { IDEMPOTENCY_TABLE_ACTIONS } from "../components/idempotency-table";
import { readConsumerSettings, readWorkerSettings } from "../consumers/shared/settings";
import { ARCHIVE_SIGNATURE, SIGNATURE_KEY } from "../tools/analyzer";
import { ProgramRun, RecordedResource, runProgram } from "../tools/mock-runtime";
import { THIS_PROJECT_ROOT as PROJECT_ROOT } from "../tools/project";
import { readStackConfig } from "../tools/stack-files";

interface Statement {
    Effect: string;
    Action: string | string[];
    Resource: string | string[];
}

function statements(policy: RecordedResource): Statement[] {
    return (JSON.parse(policy.inputs.policy as string) as { Statement: Statement[] }).Statement;
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

describe("index: the code the stacks run", () => {
    let run: ProgramRun;
    const of = (type: string) => run.resources.filter((r) => r.type === type);

    before(async () => {
        const stack = readStackConfig(PROJECT_ROOT, "dev");
        run = await runProgram({ stack: "dev", config: stack.config });
    });

    it("every function's code is the directory the program bundled, holding index.js with its handler", () => {
        const functions = of("aws:lambda/function:Function");
        assert.ok(functions.length > 0);
        for (const fn of functions) {
            const code = fn.inputs.code as Record<string, unknown>;
            assert.equal(code[SIGNATURE_KEY], ARCHIVE_SIGNATURE, "code is an archive");
            assert.equal(code.path, path.join("dist", "functions", "consumer"));
            assert.equal(fn.inputs.handler, "index.handler");
            const bundle = path.join(PROJECT_ROOT, code.path as string, "index.js");
            assert.ok(fs.existsSync(bundle), `${bundle} was built by the program`);
            assert.match(fs.readFileSync(bundle, "utf8"), /handler/);
        }
    });

    it("a DynamoDB idempotency table exists: on-demand, TTL, encrypted, destroyable outside prod", () => {
        const [table, ...others] = of("aws:dynamodb/table:Table");
        assert.equal(others.length, 0, "one table shared by every consumer");
        assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
        assert.deepEqual((table.inputs.ttl as { enabled: boolean }).enabled, true);
        assert.equal((table.inputs.serverSideEncryption as { enabled: boolean }).enabled, true);
        assert.notEqual(table.inputs.deletionProtectionEnabled, true);
        assert.equal(table.protect, false);
    });

    it("the table alarms when DynamoDB throttles it", () => {
        const table = of("aws:dynamodb/table:Table")[0];
        const alarms = of("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => (a.propertyDependencies.dimensions ?? []).includes(table.urn) || (a.propertyDependencies.metricQueries ?? []).includes(table.urn));
        assert.ok(alarms.length >= 1, "an alarm watches the table");
    });

    it("each consumer's role reaches the table with exactly Powertools' actions, on the table's ARN only", () => {
        const table = of("aws:dynamodb/table:Table")[0];
        const tableArn = table.outputs.arn;
        const rolePolicies = of("aws:iam/rolePolicy:RolePolicy").filter((p) => !p.name.endsWith("-execution-policy"));
        assert.equal(rolePolicies.length, 2, "the function's and the worker task's");
        for (const policy of rolePolicies) {
            const dynamo = statements(policy).filter((s) => asList(s.Action).some((a) => a.startsWith("dynamodb:")));
            assert.equal(dynamo.length, 1, policy.name);
            assert.deepEqual([...asList(dynamo[0].Action)].sort(), [...IDEMPOTENCY_TABLE_ACTIONS].sort());
            assert.deepEqual(asList(dynamo[0].Resource), [tableArn]);
        }
    });

    it("consumers are told their table and name, the worker its queue and shutdown deadline", () => {
        const table = of("aws:dynamodb/table:Table")[0];
        const fn = of("aws:lambda/function:Function")[0];
        const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        assert.equal(variables.IDEMPOTENCY_TABLE_NAME, table.outputs.name);
        assert.equal(variables.CONSUMER_NAME, "order-audit");
        const taskDefinition = of("aws:ecs/taskDefinition:TaskDefinition")[0];
        const [container] = JSON.parse(taskDefinition.inputs.containerDefinitions as string) as { environment: { name: string; value: string }[]; stopTimeout: number }[];
        const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
        assert.equal(env.IDEMPOTENCY_TABLE_NAME, table.outputs.name);
        assert.match(env.QUEUE_URL, /^https:\/\/sqs\./);
        assert.ok(Number(env.STOP_TIMEOUT_SECONDS) < container.stopTimeout, "the worker stops before ECS kills it");
    });

    it("the environment each consumer gets is one its code accepts, read as the program meant it", () => {
        const tableName = of("aws:dynamodb/table:Table")[0].outputs.name;
        const fn = of("aws:lambda/function:Function")[0];
        const lambda = readConsumerSettings((fn.inputs.environment as { variables: Record<string, string> }).variables);
        assert.deepEqual(lambda, { consumerName: "order-audit", serviceName: "order-audit", metricsNamespace: "event-pipeline/dev", logLevel: "DEBUG", idempotencyTableName: tableName });
        const [container] = JSON.parse(of("aws:ecs/taskDefinition:TaskDefinition")[0].inputs.containerDefinitions as string) as { environment: { name: string; value: string }[] }[];
        const worker = readWorkerSettings(Object.fromEntries(container.environment.map((e) => [e.name, e.value])));
        assert.equal(worker.consumerName, "order-fulfilment");
        assert.equal(worker.idempotencyTableName, tableName);
        assert.equal(worker.queueUrl, of("aws:sqs/queue:Queue").find((q) => q.name === "order-fulfilment")?.outputs.url);
        assert.equal(worker.visibilityTimeoutSeconds, 60);
        assert.equal(worker.stopTimeoutSeconds, 55);
    });
});
