/** Where a resource was created in the program's own files, from recorded source positions. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { locateResources } from "../../../tools/check/locations";
import type { RecordedResource, SourcePosition } from "../../../tools/mock-runtime";

const ROOT = path.join(path.sep, "work", "program");
const at = (file: string, line: number, column = 5): SourcePosition => ({ file: path.join(ROOT, file), line, column });
const outside = (file: string, line: number): SourcePosition => ({ file: path.join(path.sep, "elsewhere", file), line, column: 1 });

function resource(urn: string, frames: SourcePosition[], parent?: string): RecordedResource {
    return {
        urn,
        type: urn.split("::")[2]?.split("$").pop() ?? "t",
        name: urn.split("::").pop() ?? "n",
        parent,
        custom: true,
        protect: false,
        inputs: {},
        outputs: {},
        propertyDependencies: {},
        dependencies: [],
        sourcePosition: frames[0],
        stackTrace: frames,
    };
}

describe("tools/check/locations", () => {
    const component = resource("urn:pulumi:s::p::acme:Feed::feed", [at("index.ts", 8, 14)]);
    const nested = resource("urn:pulumi:s::p::acme:Feed$acme:Buffer::buffer", [at("feed.ts", 20), at("index.ts", 8, 14)], component.urn);
    const queue = resource("urn:pulumi:s::p::acme:Feed$acme:Buffer$aws:sqs/queue:Queue::q", [at("buffer.ts", 3, 23), at("feed.ts", 20), at("index.ts", 8, 14)], nested.urn);
    const helped = resource(
        "urn:pulumi:s::p::aws:cloudwatch/logGroup:LogGroup::logs",
        [at("node_modules/@acme/helpers/index.js", 40), at("lib/logs.ts", 7), at("index.ts", 30), outside("harness.ts", 99)],
    );
    const fromLibraryCallback = resource("urn:pulumi:s::p::acme:Feed$aws:sns/topic:Topic::t", [at("node_modules/@acme/helpers/index.js", 12)], component.urn);
    const untraceable = resource("urn:pulumi:s::p::pulumi:providers:aws::default", [at("node_modules/@pulumi/pulumi/provider.js", 1)]);
    const located = locateResources([component, nested, queue, helped, fromLibraryCallback, untraceable], ROOT);

    it("is the innermost call in the program's files, relative to its folder", () => {
        assert.deepEqual(located.get(queue.urn)?.location, { file: "buffer.ts", line: 3, column: 23 });
        assert.deepEqual(located.get(component.urn)?.location, { file: "index.ts", line: 8, column: 14 });
    });

    it("for a resource a library creates, is the program's call into the library (node_modules and files outside the program skipped)", () => {
        assert.deepEqual(located.get(helped.urn)?.location, { file: "lib/logs.ts", line: 7, column: 5 });
        assert.deepEqual(
            located.get(helped.urn)?.related.map((r) => `${r.file}:${r.line} ${r.message}`),
            ["index.ts:30 called from here"],
        );
    });

    it("names every enclosing component where it was created, and the calls on the way", () => {
        assert.deepEqual(
            located.get(queue.urn)?.related.map((r) => `${r.file}:${r.line} ${r.message}`),
            ["feed.ts:20 acme:Buffer 'buffer' created here", "index.ts:8 acme:Feed 'feed' created here"],
        );
    });

    it("falls back to the parent's location when no call is in the program's files; has none without either", () => {
        assert.deepEqual(located.get(fromLibraryCallback.urn)?.location, { file: "index.ts", line: 8, column: 14 });
        assert.deepEqual(located.get(fromLibraryCallback.urn)?.related, [], "the component's creation is the location itself, not repeated");
        assert.equal(located.has(untraceable.urn), false);
    });

    it("reads a resource recorded without a stack trace from its source position", () => {
        const bare = { ...resource("urn:pulumi:s::p::aws:sqs/queue:Queue::bare", []), sourcePosition: at("index.ts", 2) };
        assert.deepEqual(locateResources([bare], ROOT).get(bare.urn)?.location, { file: "index.ts", line: 2, column: 5 });
    });
});
