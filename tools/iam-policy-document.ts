/**
 * `aws.iam.getPolicyDocument` rendered offline as the AWS provider renders it (its
 * `aws_iam_policy_document` data source), so that a policy built with it reaches the pack as the
 * same JSON a real preview would show:
 * - the document is `Version` (default 2012-10-17), `Id` (the `policyId`, when set), `Statement`;
 * - every statement has `Sid` (empty when unset) and `Effect` (default Allow); `Action`,
 *   `NotAction`, `Resource`, `NotResource`, `Principal`, `NotPrincipal`, `Condition` only when set;
 * - a list of one value becomes the value; longer lists are de-duplicated and sorted in reverse
 *   (the provider's sets), except condition values, which keep their order;
 * - principals are an object of type → identifiers, a lone `{ type: "*", identifiers: ["*"] }` is
 *   `"*"`; conditions are test → variable → values; object keys are sorted;
 * - `&{…}` in resources, principals and condition values becomes `${…}` (a policy variable);
 * - `sourcePolicyDocuments` come first, then the statements (replacing those with the same `Sid`),
 *   then `overridePolicyDocuments`, each replacing statements with the same `Sid`;
 * - `json` is indented by two spaces, `minifiedJson` is not; `<`, `>` and `&` are escaped as
 *   Go's encoder does.
 */
import { crc32 } from "node:zlib";

export interface PolicyDocumentArgs {
    statements?: StatementArgs[];
    version?: string;
    policyId?: string;
    sourcePolicyDocuments?: string[];
    overridePolicyDocuments?: string[];
}

interface StatementArgs {
    sid?: string;
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: PrincipalArgs[];
    notPrincipals?: PrincipalArgs[];
    conditions?: { test: string; variable: string; values: string[] }[];
}

interface PrincipalArgs {
    type: string;
    identifiers: string[];
}

/** One value, or several: the provider's JSON uses a string for one and a list for more. */
type Values = string | string[];

interface Principal {
    type: string;
    identifiers: Values;
}

interface Condition {
    test: string;
    variable: string;
    values: Values;
}

interface Statement {
    sid: string;
    effect: string;
    actions?: unknown;
    notActions?: unknown;
    resources?: unknown;
    notResources?: unknown;
    principals: Principal[];
    notPrincipals: Principal[];
    conditions: Condition[];
}

interface PolicyDocument {
    version: string;
    id: string;
    statements: Statement[] | null;
}

export class PolicyDocumentError extends Error {}

const VERSIONS = ["2008-10-17", "2012-10-17"];

function fail(message: string): never {
    throw new PolicyDocumentError(`aws:iam/getPolicyDocument: ${message}`);
}

/** A set of strings as the provider writes it: one value alone, more de-duplicated and in reverse order. */
function setValues(list: readonly string[]): Values {
    const unique = [...new Set(list)];
    return unique.length === 1 ? unique[0] : unique.sort().reverse();
}

function withVariables(values: Values, version: string): Values {
    const replace = (value: string) => {
        if (version === "2008-10-17" && value.includes("&{")) {
            fail(`found &{ sequence in (${value}), which is not supported in document version 2008-10-17`);
        }
        return value.replaceAll("&{", "${");
    };
    return typeof values === "string" ? replace(values) : values.map(replace);
}

function strings(value: unknown, what: string): string[] {
    if (value === undefined || value === null) {
        return [];
    }
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        fail(`${what} must be a list of strings`);
    }
    return value as string[];
}

function principalsOf(list: PrincipalArgs[] | undefined, version: string, what: string): Principal[] {
    return (list ?? []).map((principal) => {
        if (typeof principal?.type !== "string") {
            fail(`${what}: every principal needs a type`);
        }
        return { type: principal.type, identifiers: withVariables(setValues(strings(principal.identifiers, `${what}.identifiers`)), version) };
    });
}

function statementOf(args: StatementArgs, version: string, index: number): Statement {
    const where = `statement ${index + 1}`;
    const sid = args.sid ?? "";
    if (!/^[a-zA-Z0-9]*$/.test(sid)) {
        fail(`${where}: sid "${sid}" must only include alphanumeric characters`);
    }
    const effect = args.effect ?? "Allow";
    if (effect !== "Allow" && effect !== "Deny") {
        fail(`${where}: effect "${effect}" must be Allow or Deny`);
    }
    const statement: Statement = { sid, effect, principals: [], notPrincipals: [], conditions: [] };
    const actions = strings(args.actions, `${where}.actions`);
    const notActions = strings(args.notActions, `${where}.notActions`);
    const resources = strings(args.resources, `${where}.resources`);
    const notResources = strings(args.notResources, `${where}.notResources`);
    if (actions.length > 0) {
        statement.actions = setValues(actions);
    }
    if (notActions.length > 0) {
        statement.notActions = setValues(notActions);
    }
    if (resources.length > 0) {
        statement.resources = withVariables(setValues(resources), version);
    }
    if (notResources.length > 0) {
        statement.notResources = withVariables(setValues(notResources), version);
    }
    statement.principals = principalsOf(args.principals, version, `${where}.principals`);
    statement.notPrincipals = principalsOf(args.notPrincipals, version, `${where}.notPrincipals`);
    statement.conditions = (args.conditions ?? []).map((condition) => {
        const values = strings(condition?.values, `${where}.conditions.values`);
        return { test: String(condition.test), variable: String(condition.variable), values: withVariables(values.length === 1 ? values[0] : values, version) };
    });
    return statement;
}

/** A source or override document, read as the provider reads JSON back into its model. */
function parseDocument(text: unknown, what: string): PolicyDocument {
    let raw: unknown;
    try {
        raw = JSON.parse(String(text));
    } catch (e) {
        fail(`${what} is not JSON: ${(e as Error).message}`);
    }
    const document = (raw ?? {}) as Record<string, unknown>;
    const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement === undefined || document.Statement === null ? [] : [document.Statement];
    return {
        version: typeof document.Version === "string" ? document.Version : "",
        id: typeof document.Id === "string" ? document.Id : "",
        statements: statements.map((entry: Record<string, unknown>) => ({
            sid: typeof entry.Sid === "string" ? entry.Sid : "",
            effect: typeof entry.Effect === "string" ? entry.Effect : "",
            actions: entry.Action,
            notActions: entry.NotAction,
            resources: entry.Resource,
            notResources: entry.NotResource,
            principals: parsedPrincipals(entry.Principal),
            notPrincipals: parsedPrincipals(entry.NotPrincipal),
            conditions: parsedConditions(entry.Condition),
        })),
    };
}

function parsedPrincipals(value: unknown): Principal[] {
    if (typeof value === "string") {
        return [{ type: "*", identifiers: ["*"] }];
    }
    if (value === null || typeof value !== "object") {
        return [];
    }
    return Object.entries(value as Record<string, unknown>).map(([type, identifiers]) => ({
        type,
        identifiers: typeof identifiers === "string" ? identifiers : strings(identifiers, `principal ${type}`),
    }));
}

function parsedConditions(value: unknown): Condition[] {
    if (value === null || typeof value !== "object") {
        return [];
    }
    const conditions: Condition[] = [];
    for (const [test, variables] of Object.entries(value as Record<string, unknown>)) {
        for (const [variable, values] of Object.entries((variables ?? {}) as Record<string, unknown>)) {
            // Read back, a single value becomes a list of one (and is written as a list).
            conditions.push({ test, variable, values: typeof values === "string" ? [values] : strings(values, `condition ${test} ${variable}`) });
        }
    }
    return conditions;
}

/** `next` merged into `base`: its Id and a later Version win; a statement replaces the one with its Sid. */
function merge(base: PolicyDocument, next: PolicyDocument): void {
    if (next.id !== "") {
        base.id = next.id;
    }
    if (next.version > base.version) {
        base.version = next.version;
    }
    for (const statement of next.statements ?? []) {
        const existing = statement.sid === "" ? -1 : (base.statements ?? []).findIndex((s) => s.sid === statement.sid);
        if (existing >= 0) {
            base.statements![existing] = statement;
        } else {
            base.statements = [...(base.statements ?? []), statement];
        }
    }
}

function principalJson(principals: readonly Principal[]): unknown {
    if (principals.length === 1 && principals[0].type === "*") {
        const identifiers = principals[0].identifiers;
        if (identifiers === "*" || (Array.isArray(identifiers) && identifiers.length === 1 && identifiers[0] === "*")) {
            return "*";
        }
    }
    const byType: Record<string, Values> = {};
    for (const { type, identifiers } of principals) {
        const existing = byType[type];
        if (Array.isArray(identifiers)) {
            const sorted = [...identifiers].sort().reverse();
            byType[type] = existing === undefined ? sorted : [...[existing].flat(), ...sorted];
        } else {
            byType[type] = existing === undefined ? identifiers : [...[existing].flat(), identifiers];
        }
    }
    return sortedKeys(byType);
}

function conditionJson(conditions: readonly Condition[]): unknown {
    const byTest: Record<string, Record<string, Values>> = {};
    for (const { test, variable, values } of conditions) {
        const variables = (byTest[test] ??= {});
        if (Array.isArray(values)) {
            const existing = variables[variable];
            variables[variable] = [...(Array.isArray(existing) ? existing : []), ...values];
        } else {
            variables[variable] = values;
        }
    }
    return sortedKeys(Object.fromEntries(Object.entries(byTest).map(([test, variables]) => [test, sortedKeys(variables)])));
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Set, in the sense of Go's `omitempty` on an interface: anything but nil. */
function present(value: unknown): boolean {
    return value !== undefined && value !== null;
}

function statementJson(statement: Statement): Record<string, unknown> {
    const json: Record<string, unknown> = { Sid: statement.sid };
    if (statement.effect !== "") {
        json.Effect = statement.effect;
    }
    if (present(statement.actions)) json.Action = statement.actions;
    if (present(statement.notActions)) json.NotAction = statement.notActions;
    if (present(statement.resources)) json.Resource = statement.resources;
    if (present(statement.notResources)) json.NotResource = statement.notResources;
    if (statement.principals.length > 0) json.Principal = principalJson(statement.principals);
    if (statement.notPrincipals.length > 0) json.NotPrincipal = principalJson(statement.notPrincipals);
    if (statement.conditions.length > 0) json.Condition = conditionJson(statement.conditions);
    return json;
}

/** JSON as Go's encoder writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped. */
function goJson(value: unknown, indent?: number): string {
    return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export interface RenderedPolicyDocument {
    id: string;
    json: string;
    minifiedJson: string;
}

/** The data source's result for `args`; throws `PolicyDocumentError` where the provider would fail. */
export function renderPolicyDocument(args: PolicyDocumentArgs): RenderedPolicyDocument {
    const version = args.version ?? "2012-10-17";
    if (!VERSIONS.includes(version)) {
        fail(`version "${version}" must be one of ${VERSIONS.join(", ")}`);
    }
    const merged: PolicyDocument = { version: "", id: "", statements: null };
    const sids = new Set<string>();
    (args.sourcePolicyDocuments ?? []).forEach((text, index) => {
        const source = parseDocument(text, `source document ${index}`);
        for (const statement of source.statements ?? []) {
            if (statement.sid !== "") {
                if (sids.has(statement.sid)) {
                    fail(`merging source document ${index}: duplicate Sid (${statement.sid}) in sourcePolicyDocuments`);
                }
                sids.add(statement.sid);
            }
        }
        merge(merged, source);
    });
    const ownSids = new Set<string>();
    const statements = (args.statements ?? []).map((statement, index) => {
        const parsed = statementOf(statement ?? {}, version, index);
        if (parsed.sid !== "") {
            if (ownSids.has(parsed.sid)) {
                fail(`duplicate Sid (${parsed.sid}). Remove the Sid or ensure the Sid is unique.`);
            }
            ownSids.add(parsed.sid);
        }
        return parsed;
    });
    merge(merged, { version, id: args.policyId ?? "", statements: args.statements === undefined ? null : statements });
    (args.overridePolicyDocuments ?? []).forEach((text, index) => merge(merged, parseDocument(text, `override document ${index}`)));

    const document: Record<string, unknown> = {};
    if (merged.version !== "") {
        document.Version = merged.version;
    }
    if (merged.id !== "") {
        document.Id = merged.id;
    }
    document.Statement = merged.statements === null ? null : merged.statements.map(statementJson);
    const json = goJson(document, 2);
    return { id: String(crc32(json)), json, minifiedJson: goJson(document) };
}
