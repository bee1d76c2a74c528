/**
 * The queue and the function a Lambda event source mapping connects, resolved in the stack.
 */
import { AwsType } from "./aws-types";
import { IndexedResource, Reference, StackIndex } from "./stack";

/**
 * The function an event source mapping's `functionName` (a name, an ARN, a version's or alias's
 * ARN, or a partial ARN) refers to; failing that, its computed `functionArn` (in the outputs of a
 * deployed mapping).
 */
export function mappingFunction(index: StackIndex, mapping: IndexedResource): Reference {
    const byName = index.resolve(mapping, "functionName", mapping.props.functionName, [AwsType.LambdaFunction]);
    if (byName.kind === "resources") {
        return byName;
    }
    const byArn = index.resolve(mapping, "functionArn", mapping.props.functionArn, [AwsType.LambdaFunction]);
    return byArn.kind === "resources" ? byArn : byName;
}

/** The queue an event source mapping's `eventSourceArn` refers to. */
export function mappingQueue(index: StackIndex, mapping: IndexedResource): Reference {
    return index.resolve(mapping, "eventSourceArn", mapping.props.eventSourceArn, [AwsType.Queue]);
}
