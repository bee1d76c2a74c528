/**
 * Reading resource properties the way the policy server hands them over, without ever throwing.
 *
 * The server wraps props in `unknownCheckingProxy`: reading a value that is unknown during
 * preview throws `UnknownValueError`, and a policy that lets it escape is abandoned (for a stack
 * policy, for the whole stack). `Object.getOwnPropertyDescriptor` is not intercepted by that
 * proxy, so `plain()` copies the raw values out once and every policy then works on plain data,
 * deciding explicitly what an unknown value means.
 */

/** The engine's sentinels for values not known until the resource exists (`@pulumi/policy`'s proxy.ts). */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The engine's signature for an unknown string, as marshalled on the wire. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type PlainRecord = Record<string, unknown>;

/** True for a value not known until the resource exists (during preview). */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/**
 * A deep copy of `value` with every proxy removed: objects and arrays are copied through their
 * own property descriptors, which `unknownCheckingProxy` does not intercept. Unknown values stay
 * as their sentinel strings; test with `isUnknown`.
 */
export function plain(value: unknown, depth = 0): unknown {
    if (value === null || typeof value !== "object" || depth > 64) {
        return value;
    }
    if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
            out.push(plain(Object.getOwnPropertyDescriptor(value, String(i))?.value, depth + 1));
        }
        return out;
    }
    const out: PlainRecord = {};
    for (const key of Object.keys(value)) {
        out[key] = plain(Object.getOwnPropertyDescriptor(value, key)?.value, depth + 1);
    }
    return out;
}

/** `plain(props)` as a record; anything else (null, a wrong type) becomes `{}`. */
export function plainProps(props: unknown): PlainRecord {
    const value = plain(props);
    return isRecord(value) ? value : {};
}

export function isRecord(value: unknown): value is PlainRecord {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A known string, or undefined (unknown, absent, or not a string). */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** A known finite number (numeric strings included, as YAML and JSON often carry them), or undefined. */
export function knownNumber(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value === "string" && value.trim() !== "" && !isUnknown(value)) {
        const parsed = Number(value);
        return Number.isFinite(parsed) ? parsed : undefined;
    }
    return undefined;
}

/** A known boolean ("true"/"false" strings included), or undefined. */
export function knownBoolean(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    return undefined;
}

/** An array as is; a single value as a one-element array; absent, null or unknown as []. */
export function asArray(value: unknown): unknown[] {
    if (Array.isArray(value)) {
        return value;
    }
    if (value === undefined || value === null || isUnknown(value)) {
        return [];
    }
    return [value];
}

/**
 * A JSON-string property (policy documents, `redrivePolicy`, `containerDefinitions`) parsed, or
 * an object property as it is. `undefined` when absent, unknown or not JSON.
 */
export function parseJsonValue(value: unknown): unknown {
    if (typeof value === "string") {
        // The unknown sentinel is not JSON either.
        try {
            return JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    return value === null ? undefined : value;
}
