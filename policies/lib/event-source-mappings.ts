/**
 * The queue and the function a Lambda event source mapping connects, resolved in the stack.
 */
import { AwsType } from "./aws-types";
import { functionReferenceAlternatives } from "./aws-identifiers";
import { IndexedResource, Reference, StackIndex } from "./stack";
import { knownString } from "./values";

/**
 * The function an event source mapping's `functionName` (name, ARN or qualified ARN) refers to;
 * failing that, its computed `functionArn` (in the outputs of a deployed mapping).
 */
export function mappingFunction(index: StackIndex, mapping: IndexedResource): Reference {
    const byName = resolveFunction(index, mapping, "functionName");
    if (
        byName.kind === "resources" ||
        // Stryker disable next-line ConditionalExpression: a shortcut; an absent functionArn resolves to no function, and then byName is returned below
        knownString(mapping.props.functionArn) === undefined
    ) {
        return byName;
    }
    const byArn = resolveFunction(index, mapping, "functionArn");
    return byArn.kind === "resources" ? byArn : byName;
}

function resolveFunction(index: StackIndex, mapping: IndexedResource, property: "functionName" | "functionArn"): Reference {
    const value = mapping.props[property];
    const known = knownString(value);
    // Stryker disable next-line ArrayDeclaration: an alternative spelling is tried only after the value named nothing, and no identifier is the mutant's placeholder
    return index.resolve(mapping, property, value, [AwsType.LambdaFunction], known ? functionReferenceAlternatives(known) : []);
}

/** The queue an event source mapping's `eventSourceArn` refers to. */
export function mappingQueue(index: StackIndex, mapping: IndexedResource): Reference {
    return index.resolve(mapping, "eventSourceArn", mapping.props.eventSourceArn, [AwsType.Queue]);
}
