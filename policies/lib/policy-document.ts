/**
 * IAM and resource policy documents (queue, topic, key and role policies) read into normalized
 * statements, whatever shape they arrive in: a JSON string (what the AWS provider sends), an
 * object, a single statement instead of an array, `Action` as a string or an array, `Principal`
 * as `"*"` or a map, condition values as strings, booleans or arrays. Nothing here throws:
 * a value that is not a document is reported as `malformed`, and a value not known until deploy
 * time as `unknown`, so that every policy decides explicitly what those mean.
 *
 *     const document = parsePolicyDocument(props.policy);
 *     if (document.status === "unknown") return;            // decide nothing until it is known
 *     for (const statement of document.statements) {
 *         if (statement.effect === "Allow" && statement.actions.some((a) => a === "*" || a.endsWith(":*"))) …
 *     }
 *
 * Normalization: `Effect` is `Allow` | `Deny` | undefined; `Action`, `NotAction`, `Resource`,
 * `NotResource` are string arrays (empty when absent); `Principal: "*"` reads as `{ AWS: ["*"] }`;
 * conditions are flattened to `{ operator, key (lower-cased), values (strings) }`.
 */
import { isRecord, isUnknown, knownString, parseJsonValue, PlainRecord } from "./values";

export interface PolicyCondition {
    /** The operator as written, e.g. `Bool`, `ArnLike`, `StringEqualsIfExists`, `ForAnyValue:StringLike`. */
    operator: string;
    /** The condition key, lower-cased: IAM compares condition keys case-insensitively. */
    key: string;
    /** The values as strings (`false` and `"false"` alike); an unknown value stays as the engine's sentinel. */
    values: string[];
}

/** Principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) → identifiers. */
export type Principals = Record<string, string[]>;

export interface PolicyStatement {
    sid?: string;
    /** `Allow` or `Deny` (any capitalisation accepted); undefined when missing or anything else. */
    effect?: "Allow" | "Deny";
    /** Undefined when the statement names no principal (identity policies). `"*"` reads as `{ AWS: ["*"] }`, as IAM defines it. */
    principal?: Principals;
    notPrincipal?: Principals;
    actions: string[];
    notActions: string[];
    resources: string[];
    notResources: string[];
    conditions: PolicyCondition[];
}

export type PolicyDocumentStatus =
    /** Read; `statements` holds every statement that is an object. */
    | "parsed"
    /** Not known until deploy time, wholly or in part (`statements` holds what is known). */
    | "unknown"
    /** No document: absent, null or an empty string. */
    | "absent"
    /** Present but not a policy document: not JSON, not an object, or without a `Statement`. */
    | "malformed";

export interface PolicyDocument {
    status: PolicyDocumentStatus;
    statements: PolicyStatement[];
}

/** Reads a policy document from a property value (JSON string or object); never throws. */
export function parsePolicyDocument(value: unknown): PolicyDocument {
    if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
        return { status: "absent", statements: [] };
    }
    if (isUnknown(value)) {
        return { status: "unknown", statements: [] };
    }
    const parsed = parseJsonValue(value);
    if (!isRecord(parsed)) {
        return { status: "malformed", statements: [] };
    }
    const rawStatements = field(parsed, "Statement");
    if (rawStatements === undefined) {
        return { status: "malformed", statements: [] };
    }
    const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
    const statements = list.filter(isRecord).map(readStatement);
    return { status: containsUnknown(parsed) ? "unknown" : "parsed", statements };
}

/**
 * True when an IAM action pattern (`*`, `sqs:*`, `sqs:Send*`, `SQS:SendMessage`) matches `action`.
 * Actions are case-insensitive in IAM; `*` matches any run of characters and `?` any one.
 */
export function actionMatches(pattern: string, action: string): boolean {
    return wildcardMatches(pattern.toLowerCase(), action.toLowerCase());
}

/** True when `statement` applies to `action`, through `Action` or through `NotAction`. */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
    if (statement.actions.some((pattern) => actionMatches(pattern, action))) {
        return true;
    }
    return statement.notActions.length > 0 && !statement.notActions.some((pattern) => actionMatches(pattern, action));
}

/** True when `statement` lists an action that covers every action of `service` (`*` or `<service>:*`). */
export function statementCoversService(statement: PolicyStatement, service: string): boolean {
    return statement.actions.some((pattern) => pattern === "*" || pattern.toLowerCase() === `${service.toLowerCase()}:*`);
}

/** True when the statement's principal is everyone: `"*"` or `{ AWS: "*" }`. */
export function principalIsEveryone(statement: PolicyStatement): boolean {
    return principalValues(statement, "AWS").includes("*");
}

/** The identifiers of one principal type (`AWS`, `Service`, …), the type matched case-insensitively. */
export function principalValues(statement: PolicyStatement, principalType: string): string[] {
    const wanted = principalType.toLowerCase();
    const values: string[] = [];
    for (const [type, identifiers] of Object.entries(statement.principal ?? {})) {
        if (type.toLowerCase() === wanted) {
            values.push(...identifiers);
        }
    }
    return values;
}

/**
 * The conditions of `statement` on `key` (case-insensitive) whose operator is one of `operators`
 * (case-insensitive, as written — include the `…IfExists` forms you accept).
 */
export function conditionsOn(statement: PolicyStatement, operators: readonly string[], key: string): PolicyCondition[] {
    const wantedOperators = new Set(operators.map((operator) => operator.toLowerCase()));
    const wantedKey = key.toLowerCase();
    return statement.conditions.filter((condition) => condition.key === wantedKey && wantedOperators.has(condition.operator.toLowerCase()));
}

/** IAM's wildcard match (`*`, `?`) of an ARN or string pattern, case-sensitive as `ArnLike`/`StringLike` are. */
export function wildcardMatches(pattern: string, value: string): boolean {
    // Iterative glob match with single-star backtracking: linear-ish, no regular expression built
    // from user data, so a hostile pattern cannot make a policy slow. Past its end, pattern[p] is
    // undefined, which equals no character: no bound check is needed before reading it.
    let p = 0;
    let v = 0;
    let starAt = -1;
    let resumeAt = 0;
    while (v < value.length) {
        if (pattern[p] === "?" || pattern[p] === value[v]) {
            p++;
            v++;
        } else if (pattern[p] === "*") {
            starAt = p++;
            resumeAt = v;
        } else if (starAt >= 0) {
            p = starAt + 1;
            v = ++resumeAt;
        } else {
            return false;
        }
    }
    while (pattern[p] === "*") {
        p++;
    }
    return p === pattern.length;
}

function readStatement(raw: PlainRecord): PolicyStatement {
    const effect = knownString(field(raw, "Effect"))?.toLowerCase();
    return {
        sid: knownString(field(raw, "Sid")),
        effect: effect === "allow" ? "Allow" : effect === "deny" ? "Deny" : undefined,
        principal: readPrincipals(field(raw, "Principal")),
        notPrincipal: readPrincipals(field(raw, "NotPrincipal")),
        actions: strings(field(raw, "Action")),
        notActions: strings(field(raw, "NotAction")),
        resources: strings(field(raw, "Resource")),
        notResources: strings(field(raw, "NotResource")),
        conditions: readConditions(field(raw, "Condition")),
    };
}

function readPrincipals(value: unknown): Principals | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (value === "*") {
        return { AWS: ["*"] };
    }
    if (!isRecord(value)) {
        return {};
    }
    const principals: Principals = {};
    for (const [type, identifiers] of Object.entries(value)) {
        principals[type] = strings(identifiers);
    }
    return principals;
}

function readConditions(value: unknown): PolicyCondition[] {
    if (!isRecord(value)) {
        return [];
    }
    const conditions: PolicyCondition[] = [];
    for (const [operator, keys] of Object.entries(value)) {
        if (!isRecord(keys)) {
            continue;
        }
        for (const [key, values] of Object.entries(keys)) {
            conditions.push({ operator, key: key.toLowerCase(), values: strings(values) });
        }
    }
    return conditions;
}

/** Strings, booleans and numbers of a scalar-or-array value, as strings; anything else dropped. */
function strings(value: unknown): string[] {
    // undefined and null need no case of their own: the loop drops them like any non-scalar.
    const list = Array.isArray(value) ? value : [value];
    const out: string[] = [];
    for (const item of list) {
        // Number.isFinite is false for anything but a finite number (it does not convert).
        if (typeof item === "string" || typeof item === "boolean" || Number.isFinite(item)) {
            out.push(String(item));
        }
    }
    return out;
}

/** A document element, its name matched case-insensitively (`Statement`, `statement`). */
function field(record: PlainRecord, name: string): unknown {
    if (Object.hasOwn(record, name)) {
        return record[name];
    }
    const wanted = name.toLowerCase();
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === wanted);
    return key === undefined ? undefined : record[key];
}

function containsUnknown(value: unknown, depth = 0): boolean {
    if (isUnknown(value)) {
        return true;
    }
    if (depth > 32 || value === null || typeof value !== "object") {
        return false;
    }
    const children = Array.isArray(value) ? value : Object.values(value);
    return children.some((child) => containsUnknown(child, depth + 1));
}

/**
 * True when `statement` denies everyone (`"*"`) whenever the request is not made over TLS:
 * `Effect: Deny` whose only condition is `Bool` (or `BoolIfExists`) `aws:SecureTransport` =
 * `false` — a further condition would narrow the deny to some insecure requests only. Which
 * actions it must cover is the caller's decision.
 */
export function deniesInsecureTransport(statement: PolicyStatement): boolean {
    const insecureTransport = conditionsOn(statement, ["Bool", "BoolIfExists"], "aws:SecureTransport").filter((condition) =>
        condition.values.some((value) => value.toLowerCase() === "false"),
    );
    return (
        statement.effect === "Deny" &&
        principalIsEveryone(statement) &&
        insecureTransport.length > 0 &&
        insecureTransport.length === statement.conditions.length
    );
}
