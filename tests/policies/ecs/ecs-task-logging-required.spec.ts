import assert from "node:assert/strict";
import { ecsTaskLoggingRequired } from "../../../policies/ecs/ecs-task-logging-required";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

const AWSLOGS = { logDriver: "awslogs", options: { "awslogs-group": "/ecs/worker", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "worker" } };

function container(change: Record<string, unknown> = {}) {
    return { name: "worker", image: "worker:latest", essential: true, logConfiguration: AWSLOGS, ...change };
}

function taskDefinition(containerDefinitions: unknown = JSON.stringify([container()])): Fixture {
    return { type: "aws:ecs/taskDefinition:TaskDefinition", props: { family: "worker", containerDefinitions } };
}

describe("ecs-task-logging-required", () => {
    it("is named, described and mandatory", () => {
        assert.equal(ecsTaskLoggingRequired.name, "ecs-task-logging-required");
        assert.match(ecsTaskLoggingRequired.description, /log/);
        assert.equal(ecsTaskLoggingRequired.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("containers with a log configuration pass", async () => {
            assert.deepEqual(await validateResource(ecsTaskLoggingRequired, taskDefinition()), []);
            const sidecar = container({ name: "otel", logConfiguration: { logDriver: "awsfirelens" } });
            assert.deepEqual(await validateResource(ecsTaskLoggingRequired, taskDefinition(JSON.stringify([container(), sidecar]))), []);
        });

        it("definitions given as an array rather than a JSON string are read too", async () => {
            assert.deepEqual(await validateResource(ecsTaskLoggingRequired, taskDefinition([container()])), []);
        });

        it("other types are not applicable", async () => {
            assert.deepEqual(await validateResource(ecsTaskLoggingRequired, { type: "aws:ecs/service:Service", props: {} }), []);
        });
    });

    describe("noncompliance", () => {
        it("a container without logConfiguration, named", async () => {
            const fixture = taskDefinition(JSON.stringify([container(), container({ name: "sidecar", logConfiguration: undefined })]));
            const violations = await validateResource(ecsTaskLoggingRequired, fixture);
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /Container 'sidecar' has no logConfiguration.*awslogs/);
        });

        it("a logConfiguration without a log driver, or null", async () => {
            for (const logConfiguration of [{ options: {} }, { logDriver: "" }, null]) {
                assert.equal((await validateResource(ecsTaskLoggingRequired, taskDefinition(JSON.stringify([container({ logConfiguration })])))).length, 1);
            }
        });

        it("an unnamed container is named by position", async () => {
            const fixture = taskDefinition(JSON.stringify([{ image: "x" }]));
            assert.match((await validateResource(ecsTaskLoggingRequired, fixture))[0].message, /Container #1/);
        });
    });

    describe("unknown values", () => {
        it("unknown definitions, configurations or drivers never violate", async () => {
            for (const fixture of [
                taskDefinition(UNKNOWN),
                taskDefinition([container({ logConfiguration: UNKNOWN })]),
                taskDefinition([container({ logConfiguration: { logDriver: UNKNOWN } })]),
            ]) {
                assert.deepEqual(await validateResource(ecsTaskLoggingRequired, fixture), []);
            }
        });
    });

    describe("malformed values", () => {
        it("non-JSON strings, wrong types and null never throw", async () => {
            for (const definitions of ["[{", '{"name":"worker"}', 42, null, true, "[]", "[null, 1]"]) {
                assert.deepEqual(await validateResource(ecsTaskLoggingRequired, taskDefinition(definitions)), [], String(definitions));
            }
        });
    });
});
