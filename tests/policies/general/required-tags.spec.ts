import assert from "node:assert/strict";
import { requiredTags } from "../../../policies/general/required-tags";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

const TAGS = { Project: "event-pipeline", Environment: "dev", Owner: "platform-team" };

/** Marks a queue built without a `tags` property. */
const NO_TAGS = Symbol("no tags");

function queue(tags: unknown = TAGS, change: Record<string, unknown> = {}): Fixture {
    return { type: "aws:sqs/queue:Queue", props: { name: "orders", ...(tags === NO_TAGS ? {} : { tags }), ...change } };
}

function withDefaultTags(fixture: Fixture, defaultTags: unknown): Fixture {
    return { ...fixture, provider: { type: "pulumi:providers:aws", props: { region: "us-east-1", defaultTags } } };
}

describe("required-tags", () => {
    it("is named, described and mandatory", () => {
        assert.equal(requiredTags.name, "required-tags");
        assert.match(requiredTags.description, /Tags/);
        assert.equal(requiredTags.enforcementLevel, "mandatory");
        assert.deepEqual(requiredTags.configSchema?.properties?.requiredTags?.default, ["Project", "Environment", "Owner"]);
    });

    describe("compliance", () => {
        it("a queue with every required tag passes", async () => {
            assert.deepEqual(await validateResource(requiredTags, queue()), []);
        });

        it("tags from the provider's defaultTags (the JSON string the engine sends) count", async () => {
            const fixture = withDefaultTags(queue(NO_TAGS), JSON.stringify({ tags: TAGS }));
            assert.deepEqual(await validateResource(requiredTags, fixture), []);
        });

        it("defaultTags as an object count too", async () => {
            assert.deepEqual(await validateResource(requiredTags, withDefaultTags(queue({ Owner: "me" }), { tags: TAGS })), []);
        });

        it("the resource's own tags and the defaults combine", async () => {
            const fixture = withDefaultTags(queue({ Owner: "orders-team" }), JSON.stringify({ tags: { Project: "p", Environment: "dev" } }));
            assert.deepEqual(await validateResource(requiredTags, fixture), []);
        });

        it("tagsAll counts", async () => {
            assert.deepEqual(await validateResource(requiredTags, queue(NO_TAGS, { tagsAll: TAGS })), []);
        });

        it("an Auto Scaling group's tag list counts", async () => {
            const group: Fixture = {
                type: "aws:autoscaling/group:Group",
                props: { tags: Object.entries(TAGS).map(([key, value]) => ({ key, value, propagateAtLaunch: true })) },
            };
            assert.deepEqual(await validateResource(requiredTags, group), []);
        });

        it("config requiredTags replaces the default list", async () => {
            assert.deepEqual(await validateResource(requiredTags, queue({ CostCenter: "42" }), { config: { requiredTags: ["CostCenter"] } }), []);
        });

        it("untaggable types (SNS subscriptions, queue policies) are not applicable", async () => {
            for (const type of ["aws:sns/topicSubscription:TopicSubscription", "aws:sqs/queuePolicy:QueuePolicy", "pulumi:providers:aws"]) {
                assert.deepEqual(await validateResource(requiredTags, { type, props: {} }), [], type);
            }
        });
    });

    describe("noncompliance", () => {
        it("a queue without tags names every missing tag", async () => {
            const violations = await validateResource(requiredTags, queue(NO_TAGS));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /lacks the required tags Project, Environment, Owner/);
            assert.match(violations[0].message, /defaultTags/);
        });

        it("one missing tag", async () => {
            const { Owner: _, ...withoutOwner } = TAGS;
            assert.match((await validateResource(requiredTags, queue(withoutOwner)))[0].message, /lacks the required tag Owner\./);
        });

        it("an empty or blank value", async () => {
            assert.match((await validateResource(requiredTags, queue({ ...TAGS, Owner: "" })))[0].message, /empty value for Owner/);
            assert.match((await validateResource(requiredTags, queue({ ...TAGS, Owner: "  " })))[0].message, /empty value for Owner/);
        });

        it("an empty value on the resource overrides the provider's default", async () => {
            const fixture = withDefaultTags(queue({ ...TAGS, Owner: "" }), JSON.stringify({ tags: TAGS }));
            assert.equal((await validateResource(requiredTags, fixture)).length, 1);
        });

        it("tags that the defaults do not supply", async () => {
            const fixture = withDefaultTags(queue(NO_TAGS), JSON.stringify({ tags: { Project: "p" } }));
            assert.match((await validateResource(requiredTags, fixture))[0].message, /Environment, Owner/);
        });

        it("another taggable type (a log group) without tags", async () => {
            assert.equal((await validateResource(requiredTags, { type: "aws:cloudwatch/logGroup:LogGroup", props: { retentionInDays: 14 } })).length, 1);
        });
    });

    describe("unknown values", () => {
        it("unknown tags, tag values, tagsAll or defaultTags never violate", async () => {
            for (const fixture of [
                queue(UNKNOWN),
                queue({ ...TAGS, Owner: UNKNOWN }),
                queue(NO_TAGS, { tagsAll: UNKNOWN }),
                withDefaultTags(queue(NO_TAGS), UNKNOWN),
            ]) {
                const violations = await validateResource(requiredTags, fixture);
                assert.deepEqual(violations, [], JSON.stringify(fixture.props));
            }
        });
    });

    describe("malformed values", () => {
        it("malformed defaultTags are ignored, never thrown", async () => {
            for (const defaultTags of ['{"tags":', "[]", 42, null, '{"tags":"Owner"}', { tags: [1, 2] }]) {
                const violations = await validateResource(requiredTags, withDefaultTags(queue(), defaultTags));
                assert.deepEqual(violations, [], String(defaultTags));
            }
        });

        it("malformed tags count as no tags", async () => {
            for (const tags of ["Owner=me", 42, null, [null, "x"], { Project: null, Environment: {}, Owner: [] }]) {
                assert.equal((await validateResource(requiredTags, queue(tags))).length, 1, JSON.stringify(tags));
            }
        });

        it("a malformed requiredTags config is ignored", async () => {
            assert.deepEqual(await validateResource(requiredTags, queue(NO_TAGS), { config: { requiredTags: [42, null, ""] } }), []);
        });
    });
});

describe("required-tags: the message says only what is wrong", () => {
    it("an empty value alone: no 'lacks' clause", async () => {
        const violations = await validateResource(requiredTags, queue({ Project: "event-pipeline", Environment: "dev", Owner: " " }));
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /^aws:sqs\/queue:Queue has an empty value for Owner\. Set them once/);
    });

    it("lists every empty value", async () => {
        const [violation] = await validateResource(requiredTags, queue({ Project: "", Environment: "dev", Owner: "" }));
        assert.match(violation!.message, /^aws:sqs\/queue:Queue has an empty value for Project, Owner\. /);
    });

    it("one missing tag is singular, several plural, and both problems are joined", async () => {
        const [one] = await validateResource(requiredTags, queue({ Project: "event-pipeline", Environment: "dev" }));
        assert.match(one!.message, /^aws:sqs\/queue:Queue lacks the required tag Owner\. /);
        const [both] = await validateResource(requiredTags, queue({ Project: "" }));
        assert.match(both!.message, /^aws:sqs\/queue:Queue lacks the required tags Environment, Owner and has an empty value for Project\. /);
    });
});
