import assert from "node:assert/strict";
import { ecsContainerInsightsEnabled } from "../../../policies/ecs/ecs-container-insights-enabled";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

function cluster(settings: unknown = [{ name: "containerInsights", value: "enhanced" }]): Fixture {
    return { type: "aws:ecs/cluster:Cluster", props: { name: "workers", settings } };
}

describe("ecs-container-insights-enabled", () => {
    it("is named, described and mandatory", () => {
        assert.equal(ecsContainerInsightsEnabled.name, "ecs-container-insights-enabled");
        assert.match(ecsContainerInsightsEnabled.description, /Container Insights/);
        assert.equal(ecsContainerInsightsEnabled.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("enhanced or enabled passes", async () => {
            assert.deepEqual(await validateResource(ecsContainerInsightsEnabled, cluster()), []);
            assert.deepEqual(await validateResource(ecsContainerInsightsEnabled, cluster([{ name: "containerInsights", value: "enabled" }])), []);
        });

        it("other types are not applicable", async () => {
            assert.deepEqual(await validateResource(ecsContainerInsightsEnabled, { type: "aws:ecs/service:Service", props: {} }), []);
        });
    });

    describe("noncompliance", () => {
        it("no settings", async () => {
            const violations = await validateResource(ecsContainerInsightsEnabled, { type: "aws:ecs/cluster:Cluster", props: { name: "workers" } });
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /containerInsights setting is not set.*value: "enhanced"/);
        });

        it("disabled", async () => {
            const violations = await validateResource(ecsContainerInsightsEnabled, cluster([{ name: "containerInsights", value: "disabled" }]));
            assert.match(violations[0].message, /is "disabled"/);
        });

        it("settings that do not mention containerInsights", async () => {
            assert.equal((await validateResource(ecsContainerInsightsEnabled, cluster([{ name: "somethingElse", value: "enabled" }]))).length, 1);
        });
    });

    describe("unknown values", () => {
        it("unknown settings or an unknown value never violate", async () => {
            assert.deepEqual(await validateResource(ecsContainerInsightsEnabled, cluster(UNKNOWN)), []);
            assert.deepEqual(await validateResource(ecsContainerInsightsEnabled, cluster([{ name: "containerInsights", value: UNKNOWN }])), []);
        });
    });

    describe("malformed values", () => {
        it("wrong types and null never throw, and count as not enabled", async () => {
            for (const settings of [null, "enabled", 3, [null, "x"], [{ name: "containerInsights", value: true }], { name: "containerInsights" }]) {
                assert.equal((await validateResource(ecsContainerInsightsEnabled, cluster(settings))).length, 1, JSON.stringify(settings));
            }
        });

        it("a single setting object instead of a list is read", async () => {
            assert.deepEqual(await validateResource(ecsContainerInsightsEnabled, cluster({ name: "containerInsights", value: "enabled" })), []);
        });
    });
});
