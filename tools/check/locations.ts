/**
 * Where in the program's own files each resource was created, from the source position and stack
 * trace the SDK sends with every registration:
 * - the location is the innermost call in the program's files (under its folder, outside
 *   `node_modules`): the `new …(` line, in a component's file for a component's child; for a
 *   resource a library creates (a provider subclass, a helper package), the line in the program
 *   that called into the library; with no such call (a resource registered from a library's own
 *   callback), its parent's location;
 * - the related locations are the program's further calls on the way there (a helper function's
 *   caller, the component's creation) and the creation of every enclosing component, outermost last.
 */
import * as path from "node:path";
import type { RecordedResource, SourcePosition } from "../mock-runtime";
import { isProgramFile } from "../program/module-resolution";

/** A place in the program: `file` relative to the program's folder, with `/` separators. */
export interface Location {
    file: string;
    line: number;
    column: number;
}

export interface RelatedLocation extends Location {
    /** What happened there: `called from here`, or the enclosing component created there. */
    message: string;
}

export interface ResourceLocation {
    location: Location;
    related: RelatedLocation[];
}

function key(location: Location): string {
    return `${location.file}:${location.line}:${location.column}`;
}

/** The location of every resource that has one, by URN. */
export function locateResources(resources: readonly RecordedResource[], programRoot: string): Map<string, ResourceLocation> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const toLocation = (position: SourcePosition): Location => ({
        file: path.relative(programRoot, position.file).split(path.sep).join("/"),
        line: position.line,
        column: position.column,
    });
    const programCalls = (resource: RecordedResource): Location[] => {
        const frames = resource.stackTrace && resource.stackTrace.length > 0 ? resource.stackTrace : resource.sourcePosition ? [resource.sourcePosition] : [];
        return frames.filter((frame) => isProgramFile(frame.file, programRoot)).map(toLocation);
    };
    const primary = new Map<string, Location | undefined>();
    const primaryOf = (resource: RecordedResource, seen: Set<string> = new Set()): Location | undefined => {
        if (primary.has(resource.urn)) {
            return primary.get(resource.urn);
        }
        seen.add(resource.urn);
        const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
        const found = programCalls(resource)[0] ?? (parent && !seen.has(parent.urn) ? primaryOf(parent, seen) : undefined);
        primary.set(resource.urn, found);
        return found;
    };

    const located = new Map<string, ResourceLocation>();
    for (const resource of resources) {
        const location = primaryOf(resource);
        if (location === undefined) {
            continue;
        }
        const related = new Map<string, RelatedLocation>([[key(location), { ...location, message: "" }]]);
        for (const call of programCalls(resource).slice(1)) {
            if (!related.has(key(call))) {
                related.set(key(call), { ...call, message: "called from here" });
            }
        }
        const seen = new Set<string>([resource.urn]);
        for (let ancestor = resource.parent ? byUrn.get(resource.parent) : undefined; ancestor && !seen.has(ancestor.urn); ancestor = ancestor.parent ? byUrn.get(ancestor.parent) : undefined) {
            seen.add(ancestor.urn);
            const created = primaryOf(ancestor);
            if (created) {
                // The component's creation is worth naming even where it is also a call on the way.
                related.set(key(created), { ...created, message: `${ancestor.type} '${ancestor.name}' created here` });
            }
        }
        related.delete(key(location));
        located.set(resource.urn, { location, related: [...related.values()] });
    }
    return located;
}
