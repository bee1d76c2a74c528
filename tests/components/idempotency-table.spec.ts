import { PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS } from "@aws-lambda-powertools/idempotency";
import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { strict as assert } from "node:assert";

const ALARM_TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:alarms-1a2b3c";
const TAGS = { Project: "event-pipeline", Environment: "test" };

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

describe("components/idempotency-table: IdempotencyTable", () => {
    let registered: Registered[];
    let component: typeof import("../../components/idempotency-table");

    before(async () => {
        registered = [];
        await pulumi.runtime.setMocks(
            {
                newResource: (args: MockResourceArgs) => {
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                    // Echo the inputs, plus what AWS computes: the auto-generated name and the ARN.
                    const name = (args.inputs.name as string | undefined) ?? `${args.name}-1a2b3c4`;
                    return {
                        id: `${name}-id`,
                        state: { ...args.inputs, name, arn: `arn:aws:mock:eu-west-1:123456789012:${name}` },
                    };
                },
                call: (args) => args.inputs,
            },
            "event-pipeline",
            "test",
            false,
        );
        component = await import("../../components/idempotency-table");
    });

    function build(name: string, protect: boolean) {
        const before = registered.length;
        const table = new component.IdempotencyTable(name, { protect, alarmTopicArn: ALARM_TOPIC_ARN, tags: TAGS });
        // The alarm registers once the table's name is known: wait for both.
        const settle = () =>
            Promise.all([promiseOf(table.tableArn), promiseOf(table.throttleAlarmArn)]).then(() => registered.slice(before));
        return { table, settle };
    }

    function only(resources: Registered[], type: string): Registered {
        const matching = resources.filter((resource) => resource.type === type);
        assert.equal(matching.length, 1, `one ${type}`);
        return matching[0];
    }

    it("builds the table Powertools' DynamoDB persistence layer expects", async () => {
        const resources = await build("idem", false).settle();
        const table = only(resources, "aws:dynamodb/table:Table").inputs;

        assert.equal(table.hashKey, "id");
        assert.equal(table.rangeKey, undefined, "no sort key: Powertools' default layout");
        assert.deepEqual(table.attributes, [{ name: "id", type: "S" }]);
        assert.deepEqual(table.ttl, { attributeName: "expiration", enabled: true });
        // The same names as the library's own defaults, so a change there fails here.
        assert.equal(table.hashKey, component.IDEMPOTENCY_KEY_ATTRIBUTE);
        assert.equal(PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS.expiryAttr, component.IDEMPOTENCY_EXPIRY_ATTRIBUTE);
    });

    it("bills on demand, encrypts, tags, and leaves naming to Pulumi", async () => {
        const resources = await build("idem-billing", false).settle();
        const table = only(resources, "aws:dynamodb/table:Table");

        assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
        assert.equal(table.inputs.readCapacity, undefined);
        assert.deepEqual(table.inputs.serverSideEncryption, { enabled: true });
        assert.deepEqual(table.inputs.tags, TAGS);
        assert.equal(table.name, "idem-billing");
        assert.equal(table.inputs.name, undefined, "no physical name");
    });

    it("protects the table from deletion only on a persistent stack", async () => {
        const disposable = only(await build("idem-dev", false).settle(), "aws:dynamodb/table:Table");
        const persistent = only(await build("idem-prod", true).settle(), "aws:dynamodb/table:Table");

        assert.equal(disposable.inputs.deletionProtectionEnabled, false);
        assert.equal(persistent.inputs.deletionProtectionEnabled, true);
    });

    it("alarms on the table's read and write throttle events, notifying the alarm topic", async () => {
        const { table, settle } = build("idem-alarm", false);
        const resources = await settle();
        const alarm = only(resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
        const tableName = await promiseOf(table.tableName);

        assert.equal(alarm.name, "idem-alarm-throttles");
        const queries = alarm.inputs.metricQueries as {
            id: string;
            expression?: string;
            returnData?: boolean;
            metric?: { namespace: string; metricName: string; dimensions: Record<string, string>; stat: string };
        }[];
        const metrics = queries.filter((query) => query.metric !== undefined);
        assert.deepEqual(
            metrics.map(({ metric }) => [metric?.namespace, metric?.metricName, metric?.dimensions, metric?.stat]),
            [
                ["AWS/DynamoDB", "ReadThrottleEvents", { TableName: tableName }, "Sum"],
                ["AWS/DynamoDB", "WriteThrottleEvents", { TableName: tableName }, "Sum"],
            ],
        );
        const [result] = queries.filter((query) => query.returnData);
        assert.equal(result.expression, "FILL(reads, 0) + FILL(writes, 0)");
        assert.equal(alarm.inputs.comparisonOperator, "GreaterThanOrEqualToThreshold");
        assert.equal(alarm.inputs.threshold, 1);
        assert.equal(alarm.inputs.treatMissingData, "notBreaching");
        assert.deepEqual(alarm.inputs.alarmActions, [ALARM_TOPIC_ARN]);
        assert.deepEqual(alarm.inputs.okActions, [ALARM_TOPIC_ARN]);
        assert.deepEqual(alarm.inputs.tags, TAGS);
    });

    it("exposes the table's name and ARN, and parents its children to itself", async () => {
        const { table } = build("idem-outputs", false);

        assert.equal(await promiseOf(table.tableName), "idem-outputs-1a2b3c4");
        assert.equal(await promiseOf(table.tableArn), "arn:aws:mock:eu-west-1:123456789012:idem-outputs-1a2b3c4");
        const childUrn = await promiseOf(table.table.urn);
        assert.match(childUrn, /::event-pipeline:storage:IdempotencyTable\$aws:dynamodb\/table:Table::idem-outputs$/);
    });
});
