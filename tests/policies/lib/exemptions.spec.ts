/**
 * Exemptions (policies/lib/exemptions.ts): the date and pattern rules, every policy wrapped where
 * the list is built, and violations silenced through the harness (as the policy server calls the
 * policies). tests/policies/served.spec.ts does the same over the analyzer protocol with the built pack.
 */
import assert from "node:assert/strict";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    daysLeft,
    Exemption,
    exemptionFor,
    exemptionsOf,
    EXEMPTIONS_PROPERTY,
    exemptionsSchema,
    isCalendarDate,
    isExpired,
    matchesResource,
    todayUtc,
    withExemptions,
} from "../../../policies/lib/exemptions";
import { policies } from "../../../policies/policies";
import { urnOf, validateResource, validateStack } from "../harness";

const QUEUE = "aws:sqs/queue:Queue";

/** `YYYY-MM-DD`, `days` from today (UTC). */
function dayFromToday(days: number): string {
    return todayUtc(new Date(Date.now() + days * 86_400_000));
}

function policy(name: string): ResourceValidationPolicy | StackValidationPolicy {
    const found = policies.find((p) => p.name === name);
    assert.ok(found, `no policy ${name}`);
    return found;
}

const unencryptedQueue = { type: QUEUE, props: { sqsManagedSseEnabled: false } };

describe("policies/lib/exemptions", () => {
    describe("dates", () => {
        it("accepts real days only, as the CLI's format checker does", () => {
            for (const day of ["2026-01-31", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"]) {
                assert.equal(isCalendarDate(day), true, day);
            }
            for (const day of ["2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-5", "20260105", "2026-01-05T00:00:00Z", " 2026-01-05", "", 20260105, null]) {
                assert.equal(isCalendarDate(day), false, String(day));
            }
        });

        it("today is the UTC calendar day", () => {
            assert.equal(todayUtc(new Date("2026-03-31T23:59:59Z")), "2026-03-31");
            assert.equal(todayUtc(new Date("2026-03-31T23:30:00-02:00")), "2026-04-01");
        });

        it("an exemption applies up to and including its day, and is expired from the next", () => {
            assert.equal(isExpired({ expires: "2026-03-31" }, "2026-03-30"), false);
            assert.equal(isExpired({ expires: "2026-03-31" }, "2026-03-31"), false);
            assert.equal(isExpired({ expires: "2026-03-31" }, "2026-04-01"), true);
            assert.equal(isExpired({ expires: "2025-12-31" }, "2026-01-01"), true);
            assert.equal(daysLeft({ expires: "2026-03-31" }, "2026-03-31"), 0);
            assert.equal(daysLeft({ expires: "2026-04-14" }, "2026-03-31"), 14);
            assert.equal(daysLeft({ expires: "2026-03-01" }, "2026-02-01"), 28);
        });
    });

    describe("resource patterns", () => {
        const urn = "urn:pulumi:prod::billing::billing:messaging:Feed$aws:sqs/queue:Queue::legacy-feed";

        it("a URN matches itself only", () => {
            assert.equal(matchesResource(urn, urn), true);
            assert.equal(matchesResource(urn, `${urn}-2`), false);
            assert.equal(matchesResource(urn.replace("prod", "dev"), urn), false);
        });

        it("* matches any run of characters, including none, ::, $ and /", () => {
            assert.equal(matchesResource("*", urn), true);
            assert.equal(matchesResource("*::legacy-feed", urn), true);
            assert.equal(matchesResource("urn:pulumi:prod::*::legacy-*", urn), true);
            assert.equal(matchesResource("urn:pulumi:*::billing::*aws:sqs/queue:Queue::legacy-feed*", urn), true);
            assert.equal(matchesResource("urn:pulumi:dev::*", urn), false);
            assert.equal(matchesResource("*::legacy", urn), false);
            // A resource name may hold any character, a line break too.
            assert.equal(matchesResource("*::two*", "urn:pulumi:s::p::aws:sqs/queue:Queue::two\nlines"), true);
        });

        it("every other character is literal (., $, ?, + and brackets are no regular expression)", () => {
            assert.equal(matchesResource("urn:pulumi:prod::billing::billing:messaging:Feed$aws:sqs/queue:Queue::legacy.feed", urn), false);
            assert.equal(matchesResource("urn:pulumi:prod::billing::billing:messaging:Feed.aws*", urn), false);
            assert.equal(matchesResource("*Feed$aws*", urn), true);
            assert.equal(matchesResource("*[a-z]*", urn), false);
            assert.equal(matchesResource("urn:pulumi:prod::billing::*::legacy-fee?", urn), false);
        });
    });

    describe("reading the config", () => {
        it("keeps the well-formed entries and ignores anything else without throwing", () => {
            const good: Exemption = { resource: "*::q", reason: "legacy consumer", expires: "2030-01-01" };
            assert.deepEqual(exemptionsOf({ exemptions: [good] }), [good]);
            assert.deepEqual(
                exemptionsOf({
                    exemptions: [7, null, "x", [], { ...good, reason: "  " }, { ...good, expires: "2026-02-30" }, { ...good, resource: "" }, { resource: 1, reason: "r", expires: "2030-01-01" }, good],
                }),
                [good],
            );
            for (const config of [undefined, null, 3, "x", {}, { exemptions: "all" }, { exemptions: { 0: good } }]) {
                assert.deepEqual(exemptionsOf(config), []);
            }
        });

        it("finds the first exemption in force that covers a URN", () => {
            const today = "2026-06-01";
            const expired: Exemption = { resource: "*::q", reason: "old", expires: "2026-05-31" };
            const current: Exemption = { resource: "*::q", reason: "new", expires: "2026-06-01" };
            assert.equal(exemptionFor(urnOf(QUEUE, "q"), [expired], today), undefined);
            assert.equal(exemptionFor(urnOf(QUEUE, "q"), [expired, current], today), current);
            assert.equal(exemptionFor(urnOf(QUEUE, "other"), [expired, current], today), undefined);
        });
    });

    describe("every policy of the pack accepts exemptions", () => {
        it("each one's config schema has the exemptions property, next to its own properties", () => {
            for (const p of policies) {
                assert.deepEqual(p.configSchema?.properties[EXEMPTIONS_PROPERTY], exemptionsSchema, p.name);
            }
            const iam = policy("iam-no-wildcard-actions");
            assert.ok(iam.configSchema?.properties.resourceWildcardActions, "the policy's own properties are kept");
        });

        it("the wrapper keeps name, description, level, its own schema and the type a validation is bound to; refuses a policy that declares exemptions itself", () => {
            const validate = Object.assign(() => undefined, { __pulumiType: QUEUE });
            const original: ResourceValidationPolicy = {
                name: "p",
                description: "d",
                enforcementLevel: "advisory",
                configSchema: { properties: { limit: { type: "integer" } }, required: ["limit"] },
                validateResource: validate,
            };
            const wrapped = withExemptions(original);
            assert.deepEqual([wrapped.name, wrapped.description, wrapped.enforcementLevel], ["p", "d", "advisory"]);
            assert.deepEqual(wrapped.configSchema, { properties: { limit: { type: "integer" }, exemptions: exemptionsSchema }, required: ["limit"] });
            assert.equal((wrapped.validateResource as unknown as { __pulumiType: string }).__pulumiType, QUEUE, "the server's fast type check still applies");
            assert.deepEqual(original.configSchema?.properties, { limit: { type: "integer" } }, "the original is not changed");
            assert.throws(() => withExemptions({ ...original, configSchema: { properties: { exemptions: { type: "array" } } } }), /declares its own 'exemptions'/);
        });

        it("wraps every validation of a resource policy and the stack validation, and nothing else", async () => {
            const reportsEach: ResourceValidationPolicy = {
                name: "each",
                description: "d",
                validateResource: [(args, report) => report(`first ${args.name}`), (args, report) => report(`second ${args.name}`)],
            };
            const config = { exemptions: [{ resource: "*::legacy", reason: "r", expires: dayFromToday(1) }] };
            const wrapped = withExemptions(reportsEach) as ResourceValidationPolicy;
            assert.deepEqual((await validateResource(wrapped, { type: QUEUE, name: "legacy", props: {} })).map((v) => v.message), ["first legacy", "second legacy"]);
            assert.deepEqual(await validateResource(wrapped, { type: QUEUE, name: "legacy", props: {} }, { config }), []);
            assert.equal(withExemptions({ name: "remediation-only", description: "d" } as ResourceValidationPolicy).validateResource, undefined);

            const stackWide: StackValidationPolicy = {
                name: "stack-wide",
                description: "d",
                validateStack: (args, report) => {
                    report("about the whole stack");
                    args.resources.forEach((r) => report(`about ${r.name}`, r.urn));
                },
            };
            const violations = await validateStack(withExemptions(stackWide), [{ type: QUEUE, name: "legacy", props: {} }], { config: { exemptions: [{ resource: "*", reason: "r", expires: dayFromToday(1) }] } });
            assert.deepEqual(violations, [{ message: "about the whole stack", urn: undefined }], "a violation without a resource cannot be exempted");
        });

        it("a getConfig that throws exempts nothing and does not make the policy throw", async () => {
            const policy = withExemptions({ name: "p", description: "d", validateResource: (_args, report) => report("v") } as ResourceValidationPolicy) as ResourceValidationPolicy;
            const validate = policy.validateResource as (args: unknown, report: (m: string, u?: string) => void) => void;
            const reported: string[] = [];
            validate({ urn: urnOf(QUEUE, "q"), getConfig: () => { throw new Error("no config"); } }, (m) => reported.push(m));
            assert.deepEqual(reported, ["v"]);
        });
    });

    describe("silencing, as the policy server calls the policies (harness)", () => {
        const exempt = (resource: string, expires = dayFromToday(30)) => ({ exemptions: [{ resource, reason: "legacy consumer", expires }] });

        it("a resource policy: the exempted resource is silenced, any other is still reported", async () => {
            const encrypted = policy("sqs-queue-encrypted") as ResourceValidationPolicy;
            assert.equal((await validateResource(encrypted, { ...unencryptedQueue, name: "legacy" })).length, 1, "the fixture violates");
            assert.deepEqual(await validateResource(encrypted, { ...unencryptedQueue, name: "legacy" }, { config: exempt(urnOf(QUEUE, "legacy")) }), []);
            assert.deepEqual(await validateResource(encrypted, { ...unencryptedQueue, name: "legacy" }, { config: exempt("*::legacy") }), []);
            assert.equal((await validateResource(encrypted, { ...unencryptedQueue, name: "orders" }, { config: exempt("*::legacy") })).length, 1);
        });

        it("an expired exemption silences nothing; one ending today still applies", async () => {
            const encrypted = policy("sqs-queue-encrypted") as ResourceValidationPolicy;
            const urn = urnOf(QUEUE, "legacy");
            assert.equal((await validateResource(encrypted, { ...unencryptedQueue, name: "legacy" }, { config: exempt(urn, dayFromToday(-1)) })).length, 1);
            assert.deepEqual(await validateResource(encrypted, { ...unencryptedQueue, name: "legacy" }, { config: exempt(urn, dayFromToday(0)) }), []);
        });

        it("a stack policy: only the violations reported against an exempted URN are silenced", async () => {
            const deadLetter = policy("sqs-dead-letter-queue-required") as StackValidationPolicy;
            const queues = [
                { type: QUEUE, name: "legacy", props: {} },
                { type: QUEUE, name: "orders", props: {} },
            ];
            const all = await validateStack(deadLetter, queues);
            assert.deepEqual(all.map((v) => v.urn).sort(), [urnOf(QUEUE, "legacy"), urnOf(QUEUE, "orders")]);
            const left = await validateStack(deadLetter, queues, { config: exempt(urnOf(QUEUE, "legacy")) });
            assert.deepEqual(left.map((v) => v.urn), [urnOf(QUEUE, "orders")]);
        });

        it("malformed exemptions never make a policy throw and silence nothing", async () => {
            const encrypted = policy("sqs-queue-encrypted") as ResourceValidationPolicy;
            for (const exemptions of [7, "x", [null], [{ resource: "*" }], [{ resource: "*", reason: "", expires: dayFromToday(1) }]]) {
                assert.equal((await validateResource(encrypted, { ...unencryptedQueue, name: "q" }, { config: { exemptions } })).length, 1, JSON.stringify(exemptions));
            }
        });
    });
});
