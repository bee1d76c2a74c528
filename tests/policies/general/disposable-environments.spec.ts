import assert from "node:assert/strict";
import { disposableEnvironments } from "../../../policies/general/disposable-environments";
import { FixtureResource, UNKNOWN, urnOf, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

function bucket(change: Record<string, unknown> = {}, type = "aws:s3/bucket:Bucket"): Fixture {
    return { type, props: { bucket: "artifacts", forceDestroy: true, ...change } };
}

function repository(change: Record<string, unknown> = {}): Fixture {
    return { type: "aws:ecr/repository:Repository", props: { name: "worker", forceDelete: true, ...change } };
}

const queue: Fixture = { type: "aws:sqs/queue:Queue", props: { name: "orders" } };

describe("disposable-environments", () => {
    it("is named, described and mandatory", () => {
        assert.equal(disposableEnvironments.name, "disposable-environments");
        assert.match(disposableEnvironments.description, /destroy/);
        assert.equal(disposableEnvironments.enforcementLevel, "mandatory");
        assert.deepEqual(disposableEnvironments.configSchema?.properties?.persistentStacks?.default, ["prod"]);
    });

    describe("compliance", () => {
        it("in dev: unprotected resources, buckets with forceDestroy and repositories with forceDelete pass", async () => {
            assert.deepEqual(await validateResource(disposableEnvironments, queue), []);
            assert.deepEqual(await validateResource(disposableEnvironments, bucket()), []);
            assert.deepEqual(await validateResource(disposableEnvironments, bucket({}, "aws:s3/bucketV2:BucketV2")), []);
            assert.deepEqual(await validateResource(disposableEnvironments, repository()), []);
        });

        it("in prod, protection and non-empty buckets are allowed", async () => {
            const run = { stack: "prod" };
            assert.deepEqual(await validateResource(disposableEnvironments, { ...queue, protect: true }, run), []);
            assert.deepEqual(await validateResource(disposableEnvironments, bucket({ forceDestroy: false }), run), []);
            assert.deepEqual(await validateResource(disposableEnvironments, repository({ forceDelete: undefined }), run), []);
        });

        it("config persistentStacks replaces the default list", async () => {
            const run = { stack: "staging", config: { persistentStacks: ["staging", "prod"] } };
            assert.deepEqual(await validateResource(disposableEnvironments, { ...queue, protect: true }, run), []);
        });
    });

    describe("noncompliance", () => {
        it("a protected resource in dev", async () => {
            const violations = await validateResource(disposableEnvironments, { ...queue, protect: true });
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /protected in the disposable stack 'dev'/);
        });

        it("a bucket without forceDestroy, or with it false", async () => {
            for (const forceDestroy of [undefined, false]) {
                const violations = await validateResource(disposableEnvironments, bucket({ forceDestroy }));
                assert.equal(violations.length, 1);
                assert.match(violations[0].message, /forceDestroy: true/);
            }
            assert.equal((await validateResource(disposableEnvironments, bucket({ forceDestroy: false }, "aws:s3/bucketV2:BucketV2"))).length, 1);
        });

        it("a repository without forceDelete", async () => {
            assert.match((await validateResource(disposableEnvironments, repository({ forceDelete: false })))[0].message, /forceDelete: true/);
        });

        it("prod itself is disposable when config leaves it out", async () => {
            const run = { stack: "prod", config: { persistentStacks: ["production"] } };
            assert.equal((await validateResource(disposableEnvironments, { ...queue, protect: true }, run)).length, 1);
        });

        it("a protected bucket without forceDestroy reports both", async () => {
            assert.equal((await validateResource(disposableEnvironments, { ...bucket({ forceDestroy: false }), protect: true })).length, 2);
        });

        it("the stack is read from the URN, parents and all", async () => {
            const urn = urnOf("aws:sqs/queue:Queue", "orders", "pr-42", ["event-pipeline:queue:Queue"]);
            assert.match((await validateResource(disposableEnvironments, { ...queue, urn, protect: true }))[0].message, /'pr-42'/);
        });
    });

    describe("unknown values", () => {
        it("an unknown forceDestroy or forceDelete never violates", async () => {
            assert.deepEqual(await validateResource(disposableEnvironments, bucket({ forceDestroy: UNKNOWN })), []);
            assert.deepEqual(await validateResource(disposableEnvironments, repository({ forceDelete: UNKNOWN })), []);
        });
    });

    describe("malformed values", () => {
        it("an unreadable URN makes the policy not applicable", async () => {
            assert.deepEqual(await validateResource(disposableEnvironments, { ...queue, urn: "garbage", protect: true }), []);
        });

        it("wrong types never throw; anything but true (or \"true\") violates", async () => {
            for (const forceDestroy of [null, "yes", 1, {}]) {
                assert.equal((await validateResource(disposableEnvironments, bucket({ forceDestroy }))).length, 1, String(forceDestroy));
            }
            assert.deepEqual(await validateResource(disposableEnvironments, bucket({ forceDestroy: "true" })), []);
        });

        it("a single stack name reads as a list; any other persistentStacks treats every stack as disposable", async () => {
            const run = { stack: "prod", config: { persistentStacks: "prod" } };
            assert.deepEqual(await validateResource(disposableEnvironments, { ...queue, protect: true }, run), []);
            const broken = { stack: "prod", config: { persistentStacks: 7 } };
            assert.equal((await validateResource(disposableEnvironments, { ...queue, protect: true }, broken)).length, 1);
        });
    });
});
