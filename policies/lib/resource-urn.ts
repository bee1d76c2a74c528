/**
 * The parts of a resource URN, `urn:pulumi:<stack>::<project>::<Parent>$…$<type>::<name>`.
 * A resource policy sees no stack name and no parent resource, but both are in its URN: the stack
 * decides whether an environment is disposable, and the parent chain tells a NAT gateway's
 * address created by `awsx:ec2:Vpc` from a hand-made one.
 */
export interface ResourceUrn {
    stack: string;
    project: string;
    /** The ancestors' types, outermost first, then the resource's own type. */
    typeChain: string[];
    name: string;
}

/** The parts of `urn`, or undefined when it is not a Pulumi URN. */
export function parseResourceUrn(urn: unknown): ResourceUrn | undefined {
    if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:")) {
        return undefined;
    }
    // Types never contain "::"; a resource's name may, so everything after the type is the name.
    const [stack, project, qualifiedType, ...nameParts] = urn.slice("urn:pulumi:".length).split("::");
    // split() fills the parts in order: a URN with a type always has a project.
    if (!stack || !qualifiedType || nameParts.length === 0) {
        return undefined;
    }
    return { stack, project, typeChain: qualifiedType.split("$"), name: nameParts.join("::") };
}

/** True when a resource of `ancestorType` is among the parents in `urn`'s type chain. */
export function hasAncestorOfType(urn: unknown, ancestorType: string): boolean {
    const parsed = parseResourceUrn(urn);
    return parsed !== undefined && parsed.typeChain.slice(0, -1).includes(ancestorType);
}
