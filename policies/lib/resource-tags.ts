/**
 * Reading AWS tags wherever they come from: a resource's `tags` (a map; a list of
 * `{ key, value }` for Auto Scaling groups), its `tagsAll`, and the AWS provider's `defaultTags`,
 * which reaches policies as the JSON string `'{"tags":{…}}'` in `args.provider.props` (an object
 * in some clients, and anything at all when misconfigured). Nothing here throws.
 */
import { isRecord, isUnknown, knownString, parseJsonValue, plain, PlainRecord } from "./values";

export type TagSet =
    | { status: "known"; tags: Map<string, unknown> }
    /** Not known until deploy time: it may hold any tag. */
    | { status: "unknown" }
    /** Absent, null, or not a set of tags. */
    | { status: "none" };

/** A `tags`-like property: a map, a list of `{ key, value }`, or either as a JSON string. */
export function readTagSet(value: unknown): TagSet {
    if (isUnknown(value)) {
        return { status: "unknown" };
    }
    const parsed = parseJsonValue(value);
    if (Array.isArray(parsed)) {
        return tagList(parsed);
    }
    if (!isRecord(parsed)) {
        return { status: "none" };
    }
    return { status: "known", tags: new Map(Object.entries(parsed)) };
}

/** The tags the resource's AWS provider adds through `defaultTags`. */
export function providerDefaultTags(provider: unknown): TagSet {
    const props = isRecord(provider) ? plain(Object.getOwnPropertyDescriptor(provider, "props")?.value) : undefined;
    if (!isRecord(props)) {
        return { status: "none" };
    }
    if (isUnknown(props.defaultTags)) {
        return { status: "unknown" };
    }
    const defaultTags = parseJsonValue(props.defaultTags);
    return isRecord(defaultTags) ? readTagSet(defaultTags.tags) : { status: "none" };
}

export type TagValueState = "set" | "empty" | "unknown";

/** Whether a tag value carries something: a non-blank string (numbers and booleans count). */
export function tagValueState(value: unknown): TagValueState {
    if (isUnknown(value)) {
        return "unknown";
    }
    if (typeof value === "string") {
        return value.trim() === "" ? "empty" : "set";
    }
    return typeof value === "number" || typeof value === "boolean" ? "set" : "empty";
}

function tagList(entries: unknown[]): TagSet {
    const tags = new Map<string, unknown>();
    for (const entry of entries) {
        if (!isRecord(entry)) {
            continue;
        }
        if (isUnknown(entry.key)) {
            // An entry whose key is not known yet may be any required tag.
            return { status: "unknown" };
        }
        const key = knownString(entry.key);
        if (key !== undefined) {
            tags.set(key, (entry as PlainRecord).value);
        }
    }
    return { status: "known", tags };
}
