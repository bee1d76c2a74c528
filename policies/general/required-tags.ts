import { ResourceValidationPolicy } from "@pulumi/policy";
import { providerDefaultTags, readTagSet, TagSet, tagValueState, TagValueState } from "../lib/resource-tags";
import { TAGGABLE_TYPES } from "../lib/taggable-types";
import { asArray, knownString, plainProps } from "../lib/values";

export interface RequiredTagsArgs {
    /** Tag keys every taggable resource must carry with a non-empty value. */
    requiredTags?: string[];
}

/**
 * Compliant: a resource of a type that accepts `tags` (per `@pulumi/aws`'s own declarations)
 * carries every tag of config `requiredTags` with a non-empty value, counting its own `tags`,
 * its `tagsAll` and its AWS provider's `defaultTags`. Other types are not applicable.
 */
export const requiredTags: ResourceValidationPolicy = {
    name: "required-tags",
    description:
        "Tags are how costs, owners and environments are found in AWS: an untagged resource shows up in the bill and in " +
        "incident response with nobody to ask and no stack to trace it to.\n" +
        "AWS documentation: https://docs.aws.amazon.com/config/latest/developerguide/required-tags.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredTags: { type: "array", items: { type: "string" }, default: ["Project", "Environment", "Owner"] },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!TAGGABLE_TYPES.has(args.type)) {
            return args.notApplicable(`${args.type} does not accept tags.`);
        }
        const { requiredTags: wanted } = args.getConfig<RequiredTagsArgs>();
        const requiredKeys = asArray(wanted).map(knownString).filter((key): key is string => key !== undefined && key !== "");
        const props = plainProps(args.props);
        const own = readTagSet(props.tags);
        const all = readTagSet(props.tagsAll);
        const defaults = providerDefaultTags(args.provider);
        const missing: string[] = [];
        const empty: string[] = [];
        for (const key of requiredKeys) {
            const state = bestOf(tagState(all, key), effectiveTagState(own, defaults, key));
            if (state === "missing") {
                missing.push(key);
            } else if (state === "empty") {
                empty.push(key);
            }
        }
        if (missing.length === 0 && empty.length === 0) {
            return;
        }
        const problems = [
            missing.length > 0 ? `lacks the required tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` : undefined,
            empty.length > 0 ? `has an empty value for ${empty.join(", ")}` : undefined,
        ].filter((p) => p !== undefined);
        reportViolation(
            `${args.type} ${problems.join(" and ")}. Set them once for the whole stack in the AWS provider's defaultTags ` +
                "(or in this resource's tags), each with a non-empty value.",
        );
    },
};

type RequiredTagState = TagValueState | "missing";

/** A resource's own tag wins over the provider's default for the same key, as the AWS provider merges them. */
function effectiveTagState(own: TagSet, defaults: TagSet, key: string): RequiredTagState {
    const fromOwn = tagState(own, key);
    return fromOwn === "missing" ? tagState(defaults, key) : fromOwn;
}

function tagState(tags: TagSet, key: string): RequiredTagState {
    if (tags.status === "unknown") {
        return "unknown"; // may hold the tag: unknown never causes a violation
    }
    if (tags.status === "none" || !tags.tags.has(key)) {
        return "missing";
    }
    return tagValueState(tags.tags.get(key));
}

/** From worst to best. */
const RANKED: readonly RequiredTagState[] = ["missing", "empty", "unknown", "set"];

function bestOf(a: RequiredTagState, b: RequiredTagState): RequiredTagState {
    return RANKED[Math.max(RANKED.indexOf(a), RANKED.indexOf(b))];
}
