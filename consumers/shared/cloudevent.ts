/**
 * CloudEvents 1.0 (JSON format) as they arrive in an SQS message body: either the event itself
 * (raw message delivery) or wrapped in SNS's notification envelope, where the event is the
 * `Message` string. Both must work because raw delivery is a per-subscription setting the
 * program may change without the consumers being redeployed.
 */

export interface CloudEvent<TData = unknown> {
    specversion: "1.0";
    id: string;
    source: string;
    type: string;
    time?: string;
    subject?: string;
    datacontenttype?: string;
    dataschema?: string;
    data?: TData;
    data_base64?: string;
    /** Extension attributes are allowed by the specification and passed through untouched. */
    [extension: string]: unknown;
}

/**
 * The body is not a CloudEvent. Retrying cannot fix it, but failing the record (rather than
 * dropping it) is what moves it to the dead-letter queue where someone can look at it.
 */
export class InvalidEventError extends Error {
    public override readonly name = "InvalidEventError";
}

/** Parses a queue message body into a CloudEvent, unwrapping an SNS envelope if there is one. */
export function parseCloudEvent(body: string): CloudEvent {
    const outer = parseJsonObject(body, "message body");
    if (isSnsNotification(outer)) {
        if (typeof outer.Message !== "string") {
            throw new InvalidEventError("SNS notification has no Message string");
        }
        return validateCloudEvent(parseJsonObject(outer.Message, "SNS Message"));
    }
    return validateCloudEvent(outer);
}

/** Checks the attributes the specification requires, and the types of the optional ones. */
export function validateCloudEvent(candidate: Record<string, unknown>): CloudEvent {
    const problems: string[] = [];
    if (candidate.specversion !== "1.0") {
        problems.push(`specversion must be "1.0" (got ${JSON.stringify(candidate.specversion)})`);
    }
    for (const attribute of ["id", "source", "type"] as const) {
        const value = candidate[attribute];
        if (typeof value !== "string" || value.length === 0) {
            problems.push(`${attribute} must be a non-empty string`);
        }
    }
    for (const attribute of ["subject", "datacontenttype", "dataschema", "data_base64"] as const) {
        if (candidate[attribute] !== undefined && typeof candidate[attribute] !== "string") {
            problems.push(`${attribute} must be a string when present`);
        }
    }
    if (candidate.time !== undefined && !isRfc3339(candidate.time)) {
        problems.push("time must be an RFC 3339 timestamp when present");
    }
    if (candidate.data !== undefined && candidate.data_base64 !== undefined) {
        problems.push("data and data_base64 are mutually exclusive");
    }
    if (problems.length > 0) {
        throw new InvalidEventError(`Not a CloudEvents 1.0 event: ${problems.join("; ")}`);
    }
    return candidate as CloudEvent;
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new InvalidEventError(`${what} is not JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new InvalidEventError(`${what} is not a JSON object`);
    }
    return parsed as Record<string, unknown>;
}

// SNS always sets Type and TopicArn on the envelope; a CloudEvent has neither (attribute names
// are lower-case), so the two shapes cannot be confused.
function isSnsNotification(value: Record<string, unknown>): boolean {
    return value.Type === "Notification" && typeof value.TopicArn === "string";
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function isRfc3339(value: unknown): boolean {
    return typeof value === "string" && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}
