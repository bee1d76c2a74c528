/**
 * A stack's resources indexed once per stack policy call — by URN, by type and by every known
 * identifier another resource can refer to them by (`arn`, `url`, `id`, `name`) — so that relating
 * resources costs one map lookup per reference and a stack policy stays linear in the number of
 * resources (stacks of 10,000 resources are benchmarked; never compare all pairs).
 *
 * `AnalyzeStack` hands over each resource's outputs. During the preview of a new stack, computed
 * attributes (`arn`, `url`, `id`) are unknown, and values built from them in other resources are
 * unknown too; the engine then records in `propertyDependencies` which resources a property's
 * value came from. A value the program wrote as a literal is known in both: `resolve` relates it by
 * the identifier it is, or by the name an AWS identifier carries, before the dependencies.
 */
import type { PolicyResource } from "@pulumi/policy";
import { AwsLocation, namedResource, sameLocation } from "./aws-identifiers";
import { isUnknown, knownString, plainProps, PlainRecord } from "./values";

/** A resource of the stack with its props copied out of the server's unknown-checking proxy. */
export interface IndexedResource {
    readonly resource: PolicyResource;
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly props: PlainRecord;
}

/** The properties whose known values other resources use to refer to a resource. */
export const IDENTIFIER_PROPERTIES = ["arn", "url", "id", "name"] as const;

/** What a reference property of a resource points at. */
export type Reference =
    /** No reference: absent, null, or not a string. */
    | { kind: "none" }
    /** Resources of the wanted types in this stack: by the known value, or by the property's dependencies when the value names none. */
    | { kind: "resources"; targets: IndexedResource[]; viaDependencies: boolean }
    /** A known value that names no resource of the wanted types in this stack (it lives elsewhere, in another account or region, say). */
    | { kind: "external"; value: string }
    /**
     * Unknown during preview, and the property depends on no resource of the wanted types: it may
     * be any of them. Unknown values never cause a violation, so treat it as possibly every one.
     */
    | { kind: "unresolved" };

export class StackIndex {
    readonly all: readonly IndexedResource[];
    private readonly urns = new Map<string, IndexedResource>();
    private readonly types = new Map<string, IndexedResource[]>();
    private readonly identifiers = new Map<string, IndexedResource[]>();

    private constructor(resources: readonly PolicyResource[]) {
        const all: IndexedResource[] = [];
        for (const resource of resources) {
            const indexed = indexResource(resource);
            all.push(indexed);
            this.urns.set(indexed.urn, indexed);
            append(this.types, indexed.type, indexed);
            // A resource is listed once per distinct identifier (a topic's `id` and `arn` are the same string).
            const seen = new Set<string>();
            for (const property of IDENTIFIER_PROPERTIES) {
                const identifier = knownString(indexed.props[property]);
                if (identifier && !seen.has(identifier)) {
                    seen.add(identifier);
                    append(this.identifiers, identifier, indexed);
                }
            }
        }
        this.all = all;
    }

    /** Indexes the resources of one `validateStack` call; O(n). */
    static of(resources: readonly PolicyResource[] | undefined): StackIndex {
        return new StackIndex(Array.isArray(resources) ? resources : []);
    }

    byUrn(urn: string): IndexedResource | undefined {
        return this.urns.get(urn);
    }

    ofType(type: string): readonly IndexedResource[] {
        return this.types.get(type) ?? [];
    }

    /** The resources of `types` whose `arn`, `url`, `id` or `name` is exactly `identifier`. */
    withIdentifier(identifier: string, types: readonly string[]): IndexedResource[] {
        return (this.identifiers.get(identifier) ?? []).filter((candidate) => types.includes(candidate.type));
    }

    /** The resources of `types` whose known `name` is `name`. */
    named(name: string, types: readonly string[]): IndexedResource[] {
        return this.withIdentifier(name, types).filter((candidate) => candidate.props.name === name);
    }

    /**
     * Where a resource lives: its own ARN or URL (once deployed), else the region of its provider;
     * parts not known yet stay undefined.
     */
    locationOf(resource: IndexedResource): AwsLocation {
        return ownLocation(resource) ?? { region: knownString(providerProps(resource.resource).region) };
    }

    /** The resources of `types` that the value of `from`'s top-level `property` was built from. */
    dependencies(from: IndexedResource, property: string, types: readonly string[]): IndexedResource[] {
        const found: IndexedResource[] = [];
        const seen = new Set<string>();
        for (const dependency of propertyDependencies(from.resource, property)) {
            const target = typeof dependency?.urn === "string" ? this.urns.get(dependency.urn) : undefined;
            if (target && types.includes(target.type) && !seen.has(target.urn)) {
                seen.add(target.urn);
                found.push(target);
            }
        }
        return found;
    }

    /**
     * Which resource of `types` does `value` — read from (somewhere inside) `from`'s top-level
     * `property`, the unknown sentinel when the whole property is — refer to? In this order:
     * 1. a known value that is an identifier (`arn`, `url`, `id`, `name`) of a resource of `types`,
     *    or an AWS identifier whose name is such a resource's where partition, region and account
     *    agree or are not known yet (`namedResource`; never a resource of another type);
     * 2. a known AWS identifier whose name a resource bears in another account or region: external,
     *    whatever the dependencies say;
     * 3. otherwise `propertyDependencies[property]`, of `types` (and, for an AWS identifier, in a
     *    location that may be its), whether the value is unknown or names nothing;
     * 4. a known value then names nothing here (external); an unknown one is unresolved.
     */
    resolve(from: IndexedResource, property: string, value: unknown, types: readonly string[]): Reference {
        const known = knownString(value);
        if (known === undefined || known === "") {
            return isUnknown(value) ? this.viaDependencies(from, property, types, undefined, { kind: "unresolved" }) : { kind: "none" };
        }
        const exact = this.withIdentifier(known, types);
        if (exact.length > 0) {
            return { kind: "resources", targets: exact, viaDependencies: false };
        }
        // What an identifier of another type says (where it lives included) is nothing about these types.
        const parsed = namedResource(known);
        const named = parsed && types.includes(parsed.type) ? parsed : undefined;
        if (named) {
            const sameName = this.named(named.name, [named.type]);
            const here = sameName.filter((target) => sameLocation(named, this.locationOf(target)));
            if (here.length > 0) {
                return { kind: "resources", targets: here, viaDependencies: false };
            }
            if (sameName.length > 0) {
                return { kind: "external", value: known };
            }
        }
        return this.viaDependencies(from, property, types, named, { kind: "external", value: known });
    }

    /** `property`'s dependencies of `types` (of a location that may be `named`'s), or `otherwise` when there are none. */
    private viaDependencies(from: IndexedResource, property: string, types: readonly string[], named: AwsLocation | undefined, otherwise: Reference): Reference {
        const targets = this.dependencies(from, property, types).filter((target) => !named || sameLocation(named, this.locationOf(target)));
        return targets.length > 0 ? { kind: "resources", targets, viaDependencies: true } : otherwise;
    }
}

function indexResource(resource: PolicyResource): IndexedResource {
    const type = typeof resource?.type === "string" ? resource.type : "";
    const urn = typeof resource?.urn === "string" ? resource.urn : "";
    // split() returns at least one part.
    const name = typeof resource?.name === "string" ? resource.name : (urn.split("::").pop() as string);
    let props: PlainRecord;
    try {
        props = plainProps(resource.props);
    } catch {
        // Props that cannot even be copied (or a resource that is null) are treated as no props at all: the policy must still run.
        props = {};
    }
    return { resource, type, urn, name, props };
}

/** The location the resource's own ARN or URL gives, once they are known. */
function ownLocation(resource: IndexedResource): AwsLocation | undefined {
    for (const property of ["arn", "url"]) {
        const identifier = knownString(resource.props[property]);
        const named = identifier === undefined ? undefined : namedResource(identifier);
        if (named?.type === resource.type) {
            return named;
        }
    }
    return undefined;
}

/** The provider's props, copied out of the proxy; {} when there is none or they cannot be read. */
function providerProps(resource: PolicyResource): PlainRecord {
    try {
        return plainProps(resource.provider?.props);
    } catch {
        return {};
    }
}

function propertyDependencies(resource: PolicyResource, property: string): readonly PolicyResource[] {
    // Read only for resources of a type a policy relates, never for a null one (whose type is "").
    const dependencies = resource.propertyDependencies;
    if (dependencies === null || typeof dependencies !== "object") {
        return [];
    }
    const list = Object.getOwnPropertyDescriptor(dependencies, property)?.value;
    return Array.isArray(list) ? list : [];
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}
