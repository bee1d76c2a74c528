/**
 * Which consumers an event should reach: an SNS subscription filter policy evaluated as AWS
 * documents it (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html),
 * independently of the emulator, so that the local run can compare what the emulator delivered
 * with what the stack config asks for. Operators it does not implement (`cidr`) make the result
 * `undefined` — "cannot say" — rather than a guess.
 */

export type FilterPolicyScope = "MessageBody" | "MessageAttributes";

export interface PublishedMessage {
    body: string;
    /** Message attributes: String attributes as strings, Number attributes as numbers. */
    attributes: Readonly<Record<string, string | number>>;
}

class UnsupportedFilter extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** True or false as SNS would decide; undefined when the policy uses an operator this does not evaluate. */
export function filterPolicyMatches(policy: Record<string, unknown>, scope: FilterPolicyScope, message: PublishedMessage): boolean | undefined {
    try {
        if (scope === "MessageAttributes") {
            return matchPolicy(policy, [message.attributes]);
        }
        let payload: unknown;
        try {
            payload = JSON.parse(message.body);
        } catch {
            return false; // a body that is not JSON matches no MessageBody filter
        }
        return isObject(payload) && matchPolicy(policy, [payload]);
    } catch (error) {
        if (error instanceof UnsupportedFilter) {
            return undefined;
        }
        throw error;
    }
}

/** `contexts`: the objects at this level (several when the path went through an array of objects). */
function matchPolicy(policy: Record<string, unknown>, contexts: readonly Record<string, unknown>[]): boolean {
    return Object.entries(policy).every(([key, rule]) => {
        if (key === "$or") {
            if (!Array.isArray(rule)) {
                throw new UnsupportedFilter();
            }
            return rule.some((alternative) => isObject(alternative) && matchPolicy(alternative, contexts));
        }
        const present = contexts.some((context) => Object.prototype.hasOwnProperty.call(context, key));
        const raw = contexts.filter((context) => Object.prototype.hasOwnProperty.call(context, key)).map((context) => context[key]);
        if (Array.isArray(rule)) {
            // A payload array matches when any of its elements does.
            const values = raw.flatMap((value) => (Array.isArray(value) ? value : [value]));
            return rule.some((condition) => matchCondition(condition, values, present));
        }
        if (isObject(rule)) {
            const children = raw.flatMap((value) => (Array.isArray(value) ? value : [value])).filter(isObject);
            return matchPolicy(rule, children);
        }
        throw new UnsupportedFilter();
    });
}

function matchCondition(condition: unknown, values: readonly unknown[], present: boolean): boolean {
    if (typeof condition === "string" || typeof condition === "number" || typeof condition === "boolean" || condition === null) {
        return values.some((value) => value === condition);
    }
    if (!isObject(condition)) {
        throw new UnsupportedFilter();
    }
    const [operator, operand] = Object.entries(condition)[0] ?? [];
    const strings = values.filter((value): value is string => typeof value === "string");
    switch (operator) {
        case "exists":
            return operand === true ? present : !present;
        case "prefix":
            return typeof operand === "string" && strings.some((value) => value.startsWith(operand));
        case "suffix":
            return typeof operand === "string" && strings.some((value) => value.endsWith(operand));
        case "equals-ignore-case":
            return typeof operand === "string" && strings.some((value) => value.toLowerCase() === operand.toLowerCase());
        case "wildcard":
            return typeof operand === "string" && strings.some((value) => wildcard(operand).test(value));
        case "numeric":
            return Array.isArray(operand) && values.some((value) => typeof value === "number" && numeric(value, operand));
        case "anything-but":
            // The key must be there: anything-but never matches an absent attribute.
            return present && values.some((value) => !excluded(value, operand));
        default:
            throw new UnsupportedFilter();
    }
}

function excluded(value: unknown, operand: unknown): boolean {
    if (Array.isArray(operand)) {
        return operand.includes(value);
    }
    if (isObject(operand)) {
        if (typeof operand.prefix === "string") {
            return typeof value === "string" && value.startsWith(operand.prefix);
        }
        if (typeof operand.suffix === "string") {
            return typeof value === "string" && value.endsWith(operand.suffix);
        }
        throw new UnsupportedFilter();
    }
    return value === operand;
}

function numeric(value: number, conditions: readonly unknown[]): boolean {
    for (let i = 0; i < conditions.length; i += 2) {
        const operand = conditions[i + 1];
        if (typeof operand !== "number") {
            throw new UnsupportedFilter();
        }
        const ok = { "=": value === operand, ">": value > operand, ">=": value >= operand, "<": value < operand, "<=": value <= operand }[String(conditions[i])];
        if (ok === undefined) {
            throw new UnsupportedFilter();
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

function wildcard(pattern: string): RegExp {
    return new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}
