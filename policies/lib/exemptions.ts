/**
 * Exemptions: one resource (or a URN pattern) taken out of one policy, with a reason and the day the
 * exemption ends, set in that policy's config:
 *
 *     "sqs-queue-encrypted": { "exemptions": [
 *         { "resource": "urn:pulumi:prod::billing::aws:sqs/queue:Queue::legacy-feed",
 *           "reason": "the legacy consumer cannot read SSE queues (TICKET-123)", "expires": "2026-03-31" } ] }
 *
 * The pack applies them itself (`withExemptions` wraps every policy where the list is built), so
 * `pulumi preview --policy-pack`, a pack enabled for the organisation and `npm run check` silence
 * exactly the same violations. The check reads the same functions to say which exemption silenced
 * what.
 */
import type {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationPolicy,
    StackValidation,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** The config property every policy accepts. */
export const EXEMPTIONS_PROPERTY = "exemptions";

export interface Exemption {
    /** A URN, or a pattern in which `*` matches any run of characters (`*::legacy-feed`). */
    resource: string;
    /** Why the resource may break the policy; shown wherever the exemption is reported. */
    reason: string;
    /** `YYYY-MM-DD`, the last day (UTC) the exemption applies. */
    expires: string;
}

/**
 * The schema the CLI validates each policy's `exemptions` against before it configures the pack
 * (gojsonschema: `format: "date"` refuses a day that does not exist, such as 2026-02-30).
 */
export const exemptionsSchema: PolicyConfigJSONSchema = {
    type: "array",
    description: "Resources this policy does not judge, each with a reason and the last day it applies (policies/README.md, Exemptions).",
    items: {
        type: "object",
        properties: {
            resource: {
                type: "string",
                // Anything else could never match a URN.
                pattern: "^(urn:pulumi:|\\*)",
                description: "The resource's URN, or a pattern in which * matches any run of characters.",
            },
            reason: { type: "string", pattern: "\\S", description: "Why this resource may break the policy." },
            expires: {
                type: "string",
                format: "date",
                pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                description: "YYYY-MM-DD: the last day (UTC) the exemption applies.",
            },
        },
        required: ["resource", "reason", "expires"],
        additionalProperties: false,
    },
};

/** True for `YYYY-MM-DD` naming a day that exists in the (proleptic) Gregorian calendar. */
export function isCalendarDate(text: unknown): text is string {
    const match = typeof text === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
    if (!match) {
        return false;
    }
    const [year, month, day] = match.slice(1).map(Number);
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    // A month or a day that does not exist (13, 00, the 30th of February) rolls the date into
    // another month; two-digit days never roll it a whole year.
    return date.getUTCMonth() === month - 1;
}

/** Today as `YYYY-MM-DD` in UTC, the calendar exemptions are dated in. */
export function todayUtc(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

/** Expired once the day after `expires` has begun (UTC); dates compare as text in this format. */
export function isExpired(exemption: Pick<Exemption, "expires">, today: string): boolean {
    return exemption.expires < today;
}

/** Whole days from `today` to `expires` (0 on the last day it applies). */
export function daysLeft(exemption: Pick<Exemption, "expires">, today: string): number {
    return Math.round((Date.parse(`${exemption.expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/**
 * `urn` is the exemption's URN, or matches its pattern (`*` = any run of characters, the rest
 * literal). Only a reported violation is matched, so nothing here needs to be fast.
 */
export function matchesResource(pattern: string, urn: string): boolean {
    const literal = pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${literal.join(".*")}$`, "s").test(urn);
}

/**
 * The well-formed exemptions in a policy's config (`getConfig()`); anything malformed is ignored,
 * never thrown on: the CLI refuses such a config before the pack sees it, and a policy never throws.
 */
export function exemptionsOf(config: unknown): Exemption[] {
    const list = config !== null && typeof config === "object" ? (config as Record<string, unknown>)[EXEMPTIONS_PROPERTY] : undefined;
    if (!Array.isArray(list)) {
        return [];
    }
    const exemptions: Exemption[] = [];
    for (const entry of list) {
        const { resource, reason, expires } = (entry ?? {}) as Record<string, unknown>;
        if (typeof resource === "string" && resource !== "" && typeof reason === "string" && reason.trim() !== "" && isCalendarDate(expires)) {
            exemptions.push({ resource, reason, expires });
        }
    }
    return exemptions;
}

/** The first exemption in force today that covers `urn`, if any. */
export function exemptionFor(urn: string, exemptions: readonly Exemption[], today: string): Exemption | undefined {
    return exemptions.find((exemption) => !isExpired(exemption, today) && matchesResource(exemption.resource, urn));
}

/** `report`, except for violations of a resource an exemption in `getConfig()` covers today. */
function exemptingReporter(report: ReportViolation, getConfig: () => unknown, defaultUrn: string | undefined): ReportViolation {
    return (message, urn) => {
        const target = urn ?? defaultUrn;
        if (target === undefined || exemptionFor(target, configuredExemptions(getConfig), todayUtc()) === undefined) {
            report(message, urn);
        }
    };
}

/** The exemptions `getConfig()` holds; none if it throws (a policy never throws). */
function configuredExemptions(getConfig: () => unknown): Exemption[] {
    try {
        return exemptionsOf(getConfig());
    } catch {
        return [];
    }
}

/** `wrapper` with the properties `@pulumi/policy` may have attached to `original` (its `__pulumiType`). */
function like<F extends object>(wrapper: F, original: object): F {
    return Object.assign(wrapper, original);
}

function withExemptionsSchema(policy: ResourceValidationPolicy | StackValidationPolicy): PolicyConfigSchema {
    if (policy.configSchema?.properties[EXEMPTIONS_PROPERTY] !== undefined) {
        throw new Error(`policy ${policy.name} declares its own '${EXEMPTIONS_PROPERTY}' config property, which every policy gets from lib/exemptions.ts`);
    }
    return { ...policy.configSchema, properties: { ...policy.configSchema?.properties, [EXEMPTIONS_PROPERTY]: exemptionsSchema } };
}

/**
 * `policy`, accepting `exemptions` in its config: a violation of a resource that an exemption
 * covers (and that has not expired) is not reported. Everything else about the policy is unchanged.
 */
export function withExemptions<P extends ResourceValidationPolicy | StackValidationPolicy>(policy: P): P {
    const configSchema = withExemptionsSchema(policy);
    if ("validateStack" in policy) {
        const validateStack: StackValidation = policy.validateStack;
        const wrapped: StackValidation = (args, report) => validateStack(args, exemptingReporter(report, () => args.getConfig(), undefined));
        return { ...policy, configSchema, validateStack: like(wrapped, validateStack) };
    }
    const wrap = (validate: ResourceValidation): ResourceValidation =>
        like<ResourceValidation>((args, report) => validate(args, exemptingReporter(report, () => args.getConfig(), args.urn)), validate);
    const { validateResource } = policy as ResourceValidationPolicy;
    const wrapped = validateResource === undefined ? undefined : Array.isArray(validateResource) ? validateResource.map(wrap) : wrap(validateResource);
    return { ...policy, configSchema, validateResource: wrapped };
}
