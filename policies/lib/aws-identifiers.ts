/**
 * What an AWS identifier says about the resource it names. Lambda functions are referred to by
 * name, ARN, or a qualified ARN (`…:function:name:alias`).
 */

const FUNCTION_ARN = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+))(?::[^:]+)?$/;

/** Further spellings of a function reference: the unqualified ARN and the bare name of a (qualified) function ARN. */
export function functionReferenceAlternatives(reference: string): string[] {
    const match = FUNCTION_ARN.exec(reference);
    return match ? [match[1], match[2]] : [];
}

/** True for an SQS queue ARN (`arn:aws:sqs:…`, any partition). */
export function isSqsArn(value: string): boolean {
    return /^arn:[^:]+:sqs:/.test(value);
}
