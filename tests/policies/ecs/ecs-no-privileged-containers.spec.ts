import assert from "node:assert/strict";
import { ecsNoPrivilegedContainers } from "../../../policies/ecs/ecs-no-privileged-containers";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

function container(change: Record<string, unknown> = {}) {
    return { name: "worker", image: "worker:latest", essential: true, ...change };
}

function taskDefinition(containers: unknown[] = [container()]): Fixture {
    return { type: "aws:ecs/taskDefinition:TaskDefinition", props: { family: "worker", containerDefinitions: JSON.stringify(containers) } };
}

describe("ecs-no-privileged-containers", () => {
    it("is named, described and mandatory", () => {
        assert.equal(ecsNoPrivilegedContainers.name, "ecs-no-privileged-containers");
        assert.match(ecsNoPrivilegedContainers.description, /privileged/);
        assert.equal(ecsNoPrivilegedContainers.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("containers that are not privileged pass", async () => {
            assert.deepEqual(await validateResource(ecsNoPrivilegedContainers, taskDefinition()), []);
            assert.deepEqual(await validateResource(ecsNoPrivilegedContainers, taskDefinition([container({ privileged: false })])), []);
        });

        it("other types are not applicable", async () => {
            assert.deepEqual(await validateResource(ecsNoPrivilegedContainers, { type: "aws:ecs/service:Service", props: { privileged: true } }), []);
        });
    });

    describe("noncompliance", () => {
        it("a privileged container, named", async () => {
            const fixture = taskDefinition([container(), container({ name: "debug", privileged: true })]);
            const violations = await validateResource(ecsNoPrivilegedContainers, fixture);
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /Container 'debug' runs privileged.*Remove privileged: true/);
        });

        it('"true" as a string', async () => {
            assert.equal((await validateResource(ecsNoPrivilegedContainers, taskDefinition([container({ privileged: "true" })]))).length, 1);
        });
    });

    describe("unknown values", () => {
        it("unknown definitions or flags never violate", async () => {
            assert.deepEqual(await validateResource(ecsNoPrivilegedContainers, { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: UNKNOWN } }), []);
            assert.deepEqual(await validateResource(ecsNoPrivilegedContainers, taskDefinition([container({ privileged: UNKNOWN })])), []);
        });
    });

    describe("malformed values", () => {
        it("non-JSON strings, wrong types and null never throw", async () => {
            for (const containerDefinitions of ["[{", "{}", 42, null, [null, "x", { privileged: "yes" }]]) {
                const fixture: Fixture = { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions } };
                assert.deepEqual(await validateResource(ecsNoPrivilegedContainers, fixture), [], String(containerDefinitions));
            }
        });
    });
});
