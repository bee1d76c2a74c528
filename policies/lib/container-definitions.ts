/**
 * An ECS task definition's `containerDefinitions`, which the AWS provider takes as a JSON string
 * (`JSON.stringify([...])` in programs, often built with `pulumi.jsonStringify` from outputs, so
 * unknown during a first preview). Read without throwing: what is not a list of containers is
 * reported as `malformed` and each policy decides what that means.
 */
import { isRecord, isUnknown, knownString, parseJsonValue, PlainRecord } from "./values";

export type ContainerDefinitions =
    | { status: "known"; containers: PlainRecord[] }
    | { status: "unknown" }
    | { status: "absent" }
    | { status: "malformed" };

export function readContainerDefinitions(value: unknown): ContainerDefinitions {
    if (value === undefined || value === null) {
        return { status: "absent" };
    }
    if (isUnknown(value)) {
        return { status: "unknown" };
    }
    const parsed = parseJsonValue(value);
    if (!Array.isArray(parsed)) {
        return { status: "malformed" };
    }
    return { status: "known", containers: parsed.filter(isRecord) };
}

/** How a violation names a container: its `name`, or its position when it has none. */
export function containerLabel(container: PlainRecord, index: number): string {
    const name = knownString(container.name);
    return name ? `'${name}'` : `#${index + 1}`;
}
