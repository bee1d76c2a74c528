/**
 * What an AWS identifier says about the resource it names: its type, its name, and where it lives
 * (partition, region, account) when the identifier carries them. The stack policies use it to
 * relate a value written as a literal — during the first preview of a new stack the target's own
 * `arn` and `url` are not known yet — to the resource of the stack that bears that name.
 */
import { AwsType } from "./aws-types";

/** Where a resource lives; a part is undefined when it is not known (yet). */
export interface AwsLocation {
    partition?: string;
    region?: string;
    account?: string;
}

/** A resource named by an identifier. */
export interface NamedResource extends AwsLocation {
    /** `AwsType.Queue`, `AwsType.Topic` or `AwsType.LambdaFunction`. */
    type: string;
    name: string;
    /** A Lambda function's version or alias (`…:function:name:live`). */
    qualifier?: string;
}

const ARN = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/;
/** `https://sqs.<region>.amazonaws.com/<account>/<name>`, and the legacy `https://<region>.queue.amazonaws.com/…` (both also under `.com.cn`). */
const QUEUE_URL = /^https?:\/\/(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue)\.amazonaws\.com(?:\.cn)?\/([^/]+)\/([^/?#]+)$/;
/** `123456789012:function:name[:qualifier]`, which Lambda accepts wherever it takes a function name. */
const PARTIAL_FUNCTION_ARN = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const BARE_FUNCTION_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The queue, topic or function `identifier` names: an SQS queue ARN or URL, an SNS topic ARN, a
 * Lambda function ARN (with or without a version or alias), a partial function ARN or a bare
 * function name. Undefined for anything else, identifiers of other services included.
 */
export function namedResource(identifier: string): NamedResource | undefined {
    const arn = ARN.exec(identifier);
    if (arn) {
        const [, partition, service, region, account, resource] = arn;
        const location = { partition, region: region || undefined, account: account || undefined };
        if (service === "sqs" && !resource.includes(":")) {
            return { type: AwsType.Queue, name: resource, ...location };
        }
        if (service === "sns" && !resource.includes(":")) {
            return { type: AwsType.Topic, name: resource, ...location };
        }
        const fn = /^function:([^:]+)(?::([^:]+))?$/.exec(resource);
        return service === "lambda" && fn ? { type: AwsType.LambdaFunction, name: fn[1], qualifier: fn[2], ...location } : undefined;
    }
    const url = QUEUE_URL.exec(identifier);
    if (url) {
        return { type: AwsType.Queue, name: url[4], region: url[1] ?? url[2], account: url[3] };
    }
    const partial = PARTIAL_FUNCTION_ARN.exec(identifier);
    if (partial) {
        return { type: AwsType.LambdaFunction, name: partial[2], qualifier: partial[3], account: partial[1] };
    }
    return BARE_FUNCTION_NAME.test(identifier) ? { type: AwsType.LambdaFunction, name: identifier } : undefined;
}

/** True when two locations may be the same: every part known on both sides is equal. */
export function sameLocation(a: AwsLocation, b: AwsLocation): boolean {
    const agree = (x: string | undefined, y: string | undefined) => x === undefined || y === undefined || x === y;
    return agree(a.partition, b.partition) && agree(a.region, b.region) && agree(a.account, b.account);
}

/** True for an SQS queue ARN (`arn:aws:sqs:…`, any partition). */
export function isSqsArn(value: string): boolean {
    return /^arn:[^:]+:sqs:/.test(value);
}
