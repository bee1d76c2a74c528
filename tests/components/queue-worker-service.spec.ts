import assert from "node:assert/strict";
import { QueueWorkerService, QueueWorkerServiceArgs, WORKER_STOP_TIMEOUT_SECONDS } from "../../components/queue-worker-service";
import { MOCK_ACCOUNT_ID, ProgramRun, RecordedResource } from "../../tools/mock-runtime";
import { assertRunError, asList, ofType, one, parseJson, runFixture, statement, statementsOf, TYPES } from "../support/recorded";
import { ALARM_TOPIC_ARN, QUEUE_ARN, QUEUE_NAME, QUEUE_URL, TABLE_ARN } from "./programs/fixture";

const VALID: QueueWorkerServiceArgs = {
    queueArn: QUEUE_ARN,
    queueUrl: QUEUE_URL,
    queueName: QUEUE_NAME,
    image: "worker:1",
    cpu: 256,
    memory: 512,
    minTasks: 0,
    maxTasks: 2,
    backlogPerTask: 50,
    vpcId: "vpc-1",
    subnetIds: ["subnet-1"],
    assignPublicIp: true,
    logRetentionDays: 14,
    environment: {},
    alarmTopicArn: ALARM_TOPIC_ARN,
    region: "us-east-1",
};

interface ContainerDefinition {
    name: string;
    image: string;
    essential: boolean;
    privileged: boolean;
    readonlyRootFilesystem: boolean;
    stopTimeout: number;
    mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
    environment: { name: string; value: string }[];
    logConfiguration: { logDriver: string; options: Record<string, string> };
    portMappings?: unknown[];
}

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/;

describe("components/queue-worker-service: QueueWorkerService", () => {
    let run: ProgramRun;
    let prodLike: ProgramRun;
    let cluster: RecordedResource;
    let service: RecordedResource;
    let container: ContainerDefinition;

    before(async () => {
        run = await runFixture("queue-worker-service");
        prodLike = await runFixture("queue-worker-service", {
            cpu: 1024,
            memory: 4096,
            minTasks: 2,
            maxTasks: 10,
            backlogPerTask: 100,
            subnetIds: ["subnet-private-a", "subnet-private-b"],
            assignPublicIp: false,
            logRetentionDays: 90,
            idempotencyTableArn: TABLE_ARN,
        });
        cluster = one(run, TYPES.cluster, "orders");
        service = one(run, TYPES.service, "orders");
        [container] = parseJson<ContainerDefinition[]>(one(run, TYPES.taskDefinition, "orders").inputs.containerDefinitions) as [ContainerDefinition];
    });

    it("runs in its own cluster with Container Insights enabled", () => {
        assert.deepEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
        assert.equal(service.inputs.cluster, cluster.outputs.arn);
    });

    it("defines a Fargate task of the given size, with execution and task roles", () => {
        const task = one(run, TYPES.taskDefinition).inputs;
        assert.deepEqual(task.requiresCompatibilities, ["FARGATE"]);
        assert.equal(task.networkMode, "awsvpc");
        assert.deepEqual([task.cpu, task.memory], ["256", "512"]);
        assert.deepEqual([one(prodLike, TYPES.taskDefinition).inputs.cpu, one(prodLike, TYPES.taskDefinition).inputs.memory], ["1024", "4096"]);
        assert.equal(task.executionRoleArn, one(run, TYPES.role, "orders-execution").outputs.arn);
        assert.equal(task.taskRoleArn, one(run, TYPES.role, "orders-task").outputs.arn);
    });

    it("runs one essential container that is not privileged, with a read-only root file system and a writable /tmp", () => {
        const definitions = parseJson<ContainerDefinition[]>(one(run, TYPES.taskDefinition).inputs.containerDefinitions);
        assert.equal(definitions.length, 1);
        assert.equal(container.image, "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.0.0");
        assert.equal(container.essential, true);
        assert.equal(container.privileged, false);
        assert.equal(container.readonlyRootFilesystem, true);
        assert.equal(container.stopTimeout, WORKER_STOP_TIMEOUT_SECONDS);
        assert.deepEqual(container.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
        assert.deepEqual(one(run, TYPES.taskDefinition).inputs.volumes, [{ name: "tmp" }]);
        assert.equal(container.portMappings, undefined);
    });

    it("gives the container its queue URL (never an IP address), region and the environment it is given", () => {
        const environment = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
        assert.deepEqual(environment, { AWS_REGION: "us-east-1", CONSUMER_NAME: "orders", QUEUE_URL });
        for (const { value } of container.environment) {
            assert.doesNotMatch(value, IPV4);
        }
    });

    it("ships the container's logs with awslogs to its own log group, which has the retention it is given", () => {
        const logGroup = one(run, TYPES.logGroup, "orders-logs");
        assert.equal(logGroup.inputs.retentionInDays, 14);
        assert.equal(one(prodLike, TYPES.logGroup).inputs.retentionInDays, 90);
        assert.deepEqual(container.logConfiguration, {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroup.inputs.name, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "worker" },
        });
    });

    it("allows the task role only the SQS consumer actions on its own queue (and its idempotency table when given)", () => {
        const statements = statementsOf(one(run, TYPES.rolePolicy, "orders-task-policy").inputs.policy);
        assert.deepEqual(
            statements.map((s) => [s.Effect, asList(s.Action).sort(), s.Resource]),
            // The worker receives, deletes and extends visibility (its heartbeat); nothing else.
            [["Allow", ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"], QUEUE_ARN]],
        );
        const withTable = statementsOf(one(prodLike, TYPES.rolePolicy, "orders-task-policy").inputs.policy);
        assert.deepEqual(withTable.map((s) => s.Resource), [QUEUE_ARN, TABLE_ARN]);
        const trust = statementsOf(one(run, TYPES.role, "orders-task").inputs.assumeRolePolicy);
        assert.deepEqual(trust[0]!.Principal, { Service: "ecs-tasks.amazonaws.com" });
    });

    it("allows the execution role to write only its own log group and to pull images from the account's ECR", () => {
        const statements = statementsOf(one(run, TYPES.rolePolicy, "orders-execution-policy").inputs.policy);
        const logs = statement(statements, "WriteContainerLogs");
        assert.deepEqual(asList(logs.Action), ["logs:CreateLogStream", "logs:PutLogEvents"]);
        assert.equal(logs.Resource, `${String(one(run, TYPES.logGroup).outputs.arn)}:*`);
        assert.equal(statement(statements, "PullImage").Resource, `arn:aws:ecr:us-east-1:${MOCK_ACCOUNT_ID}:repository/*`);
        // GetAuthorizationToken takes no resource: the one statement allowed "*".
        const wildcard = statements.filter((s) => asList(s.Resource).includes("*"));
        assert.deepEqual(wildcard.map((s) => s.Action), ["ecr:GetAuthorizationToken"]);
    });

    it("allows no inbound traffic: its security group has egress only", () => {
        const group = one(run, TYPES.securityGroup, "orders-tasks").inputs;
        assert.equal(group.vpcId, "vpc-0fixture");
        assert.deepEqual(group.ingress, []);
        assert.equal((group.egress as unknown[]).length, 1);
        assert.equal(ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 0);
        assert.equal(ofType(run, "aws:ec2/securityGroupRule:SecurityGroupRule").length, 0);
    });

    it("runs on FARGATE with the deployment circuit breaker and rollback, in the subnets and IP mode it is given", () => {
        const inputs = service.inputs;
        assert.equal(inputs.launchType, "FARGATE");
        assert.deepEqual(inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.equal(inputs.taskDefinition, one(run, TYPES.taskDefinition).outputs.arn);
        // The mock gives the group the id that ends its ARN, as EC2 does.
        const groupId = (run: ProgramRun) => String(one(run, TYPES.securityGroup).outputs.arn).split("/").pop();
        assert.deepEqual(inputs.networkConfiguration, { subnets: ["subnet-0a", "subnet-0b"], securityGroups: [groupId(run)], assignPublicIp: true });
        assert.deepEqual(one(prodLike, TYPES.service).inputs.networkConfiguration, {
            subnets: ["subnet-private-a", "subnet-private-b"],
            securityGroups: [groupId(prodLike)],
            assignPublicIp: false,
        });
        // Pulumi's ignoreChanges on desiredCount is not sent to mocks; the first count is minTasks.
        assert.deepEqual([inputs.desiredCount, one(prodLike, TYPES.service).inputs.desiredCount], [0, 2]);
    });

    it("scales the service between minTasks (possibly 0) and maxTasks", () => {
        const target = one(run, TYPES.scalingTarget, "orders-scaling").inputs;
        assert.deepEqual([target.minCapacity, target.maxCapacity], [0, 4]);
        assert.equal(target.resourceId, `service/${String(cluster.inputs.name)}/${String(service.inputs.name)}`);
        assert.equal(target.scalableDimension, "ecs:service:DesiredCount");
        const prodTarget = one(prodLike, TYPES.scalingTarget).inputs;
        assert.deepEqual([prodTarget.minCapacity, prodTarget.maxCapacity], [2, 10]);
    });

    it("scales out in steps on the queue's backlog, from zero tasks (no target tracking)", () => {
        const policies = ofType(run, TYPES.scalingPolicy);
        assert.ok(policies.every((p) => p.inputs.policyType === "StepScaling"));
        const scaleOut = one(run, TYPES.scalingPolicy, "orders-scale-out").inputs;
        const target = one(run, TYPES.scalingTarget).inputs;
        assert.equal(scaleOut.resourceId, target.resourceId);
        const configuration = scaleOut.stepScalingPolicyConfiguration as { adjustmentType: string; stepAdjustments: Record<string, unknown>[] };
        assert.equal(configuration.adjustmentType, "ChangeInCapacity");
        assert.deepEqual(configuration.stepAdjustments, [
            { metricIntervalLowerBound: "0", metricIntervalUpperBound: "50", scalingAdjustment: 1 },
            { metricIntervalLowerBound: "50", metricIntervalUpperBound: "200", scalingAdjustment: 2 },
            { metricIntervalLowerBound: "200", scalingAdjustment: 4 },
        ]);
    });

    it("scales in to exactly minTasks when the queue is idle", () => {
        const scaleIn = one(prodLike, TYPES.scalingPolicy, "orders-scale-in").inputs;
        assert.deepEqual(scaleIn.stepScalingPolicyConfiguration, {
            adjustmentType: "ExactCapacity",
            cooldown: 300,
            metricAggregationType: "Maximum",
            stepAdjustments: [{ metricIntervalUpperBound: "0", scalingAdjustment: 2 }],
        });
    });

    it("drives the scaling policies with alarms on the queue's depth, whose actions are those policies", () => {
        const scaleOut = one(run, TYPES.scalingPolicy, "orders-scale-out");
        const scaleIn = one(run, TYPES.scalingPolicy, "orders-scale-in");
        const high = one(run, TYPES.alarm, "orders-backlog-high").inputs;
        assert.deepEqual([high.namespace, high.metricName, high.dimensions], ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: QUEUE_NAME }]);
        assert.deepEqual([high.comparisonOperator, high.threshold], ["GreaterThanOrEqualToThreshold", 1]);
        assert.deepEqual(high.alarmActions, [scaleOut.outputs.arn]);
        const idle = one(run, TYPES.alarm, "orders-idle").inputs;
        assert.deepEqual([idle.comparisonOperator, idle.threshold], ["LessThanOrEqualToThreshold", 0]);
        const queries = idle.metricQueries as { id: string; metric?: { metricName: string; dimensions: unknown }; expression?: string }[];
        assert.deepEqual(
            queries.filter((q) => q.metric).map((q) => [q.metric!.metricName, q.metric!.dimensions]),
            [
                ["ApproximateNumberOfMessagesVisible", { QueueName: QUEUE_NAME }],
                ["ApproximateNumberOfMessagesNotVisible", { QueueName: QUEUE_NAME }],
            ],
        );
        assert.deepEqual(idle.alarmActions, [scaleIn.outputs.arn]);
    });

    it("alarms on the service's CPU and memory, to the alarm topic", () => {
        for (const [name, metric] of [["orders-cpu", "CPUUtilization"], ["orders-memory", "MemoryUtilization"]] as const) {
            const alarm = one(run, TYPES.alarm, name).inputs;
            assert.deepEqual([alarm.namespace, alarm.metricName], ["AWS/ECS", metric]);
            assert.deepEqual(alarm.dimensions, { ClusterName: cluster.inputs.name, ServiceName: service.inputs.name });
            assert.deepEqual([alarm.comparisonOperator, alarm.threshold], ["GreaterThanThreshold", 80]);
            assert.deepEqual(alarm.alarmActions, [ALARM_TOPIC_ARN]);
        }
        assert.equal(ofType(run, TYPES.alarm).length, 4);
    });

    it("exports the cluster, service and log group names", () => {
        assert.equal(run.outputs.clusterName, cluster.inputs.name);
        assert.equal(run.outputs.serviceName, service.inputs.name);
        assert.equal(run.outputs.logGroupName, one(run, TYPES.logGroup).inputs.name);
    });

    describe("validate", () => {
        it("accepts valid arguments, including scale to zero", () => {
            assert.doesNotThrow(() => QueueWorkerService.validate("orders", VALID));
            assert.doesNotThrow(() => QueueWorkerService.validate("orders", { ...VALID, cpu: 4096, memory: 30720, minTasks: 3, maxTasks: 3 }));
        });

        const rejections: [string, Partial<QueueWorkerServiceArgs>, RegExp][] = [
            ["a cpu that is not a Fargate size", { cpu: 300 }, /cpu 300 must be a Fargate CPU size in units: 256, 512, 1024, 2048, 4096, 8192 or 16384$/],
            ["a memory that does not pair with the cpu", { cpu: 256, memory: 4096 }, /memory 4096 is not a valid Fargate pair with cpu 256 \(allowed: 512, 1024, 2048 MiB\)/],
            ["a negative minTasks", { minTasks: -1 }, /minTasks -1 must be a whole number from 0 to 1000/],
            ["a fractional minTasks", { minTasks: 0.5 }, /minTasks 0.5 must be a whole number/],
            ["maxTasks below minTasks", { minTasks: 3, maxTasks: 2 }, /maxTasks 2 must be at least minTasks \(3\)/],
            ["maxTasks 0", { minTasks: 0, maxTasks: 0 }, /maxTasks 0 must be a whole number from 1 to 1000/],
            ["more than 1000 tasks", { maxTasks: 1001 }, /maxTasks 1001 must be a whole number from 1 to 1000/],
            ["backlogPerTask 0", { backlogPerTask: 0 }, /backlogPerTask 0 must be above 0/],
            ["a log retention CloudWatch Logs does not accept", { logRetentionDays: 0 }, /logRetentionDays 0 must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, .*, 3653$/],
        ];
        for (const [title, change, message] of rejections) {
            it(`rejects ${title}, naming the argument and the component`, () => {
                assertRunError(() => QueueWorkerService.validate("orders", { ...VALID, ...change }), /^QueueWorkerService orders: /, message);
            });
        }
    });
});
