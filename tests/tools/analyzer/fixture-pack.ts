/**
 * Throwaway policy packs in a temp dir, so the client is tested apart from the real pack: plain
 * JavaScript (nothing to compile before it starts), its own package.json with a version, and
 * `@pulumi/pulumi` / `@pulumi/policy` resolved from this repo through a symlinked node_modules.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Violation } from "../../../tools/analyzer";
import { THIS_PROJECT_ROOT } from "../../../tools/project";

const REPO_NODE_MODULES = path.join(THIS_PROJECT_ROOT, "node_modules");

export const FIXTURE_PACK_NAME = "fixture-pack";
export const FIXTURE_PACK_VERSION = "1.2.3";

/**
 * Two policies that report what the pack received: the raw props behind `unknownCheckingProxy`
 * (so unknowns show as their sentinel strings instead of throwing), options, provider, config,
 * stack tags and environment; the stack policy adds parent and dependencies as URNs. Each report
 * is JSON after the description's line.
 */
export const REPORTING_PACK = `
"use strict";
const pulumi = require("@pulumi/pulumi");
const { PolicyPack } = require("@pulumi/policy");

const raw = (proxied) => (proxied ? proxied.__getSpecialProxyTarget : proxied);
// Assets hold promises; report which kind the pack made of one.
const json = (value) => JSON.stringify(value, (key, v) => (v && v.__pulumiAsset ? { asset: v.constructor.name } : v));
const urns = (resources) => resources.map((r) => r.urn);

new PolicyPack("${FIXTURE_PACK_NAME}", {
    policies: [
        {
            name: "report-every-resource",
            description: "Reports every resource with what the pack received.",
            enforcementLevel: "advisory",
            configSchema: {
                properties: {
                    greeting: { type: "string", default: "hello" },
                    limit: { type: "integer", default: 3, minimum: 0 },
                },
            },
            validateResource: (args, reportViolation) => {
                if (raw(args.props).throwPlease) {
                    throw new Error("the fixture policy was asked to throw");
                }
                pulumi.log.info("fixture analyzed " + args.urn);
                reportViolation(json({
                    type: args.type,
                    name: args.name,
                    urn: args.urn,
                    props: raw(args.props),
                    opts: args.opts,
                    provider: args.provider && {
                        urn: args.provider.urn,
                        type: args.provider.type,
                        name: args.provider.name,
                        props: raw(args.provider.props),
                    },
                    config: args.getConfig(),
                    stackTags: Object.fromEntries(args.stackTags),
                    env: {
                        stack: process.env.PULUMI_NODEJS_STACK,
                        project: process.env.PULUMI_NODEJS_PROJECT,
                        dryRun: process.env.PULUMI_NODEJS_DRY_RUN,
                        config: process.env.PULUMI_CONFIG,
                    },
                }));
            },
        },
        {
            name: "report-stack",
            description: "Reports every resource of the stack with its relations.",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => {
                for (const r of args.resources) {
                    const propertyDependencies = {};
                    for (const [key, deps] of Object.entries(r.propertyDependencies)) {
                        propertyDependencies[key] = urns(deps);
                    }
                    reportViolation(json({
                        type: r.type,
                        props: raw(r.props),
                        opts: r.opts,
                        parent: r.parent && r.parent.urn,
                        dependencies: urns(r.dependencies),
                        propertyDependencies,
                        provider: r.provider && { urn: r.provider.urn, props: raw(r.provider.props) },
                    }), r.urn);
                }
            },
        },
    ],
});
`;

export interface FixturePack {
    directory: string;
    remove(): void;
}

export function createFixturePack(indexJs: string, files: Record<string, string> = {}): FixturePack {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "analyzer-fixture-pack-"));
    fs.writeFileSync(
        path.join(directory, "package.json"),
        JSON.stringify({ name: FIXTURE_PACK_NAME, version: FIXTURE_PACK_VERSION, main: "index.js" }, null, 2),
    );
    fs.writeFileSync(path.join(directory, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: a throwaway pack for the analyzer client's tests\n");
    fs.writeFileSync(path.join(directory, "index.js"), indexJs);
    for (const [name, content] of Object.entries(files)) {
        fs.writeFileSync(path.join(directory, name), content);
    }
    fs.symlinkSync(REPO_NODE_MODULES, path.join(directory, "node_modules"), "dir");
    return { directory, remove: () => fs.rmSync(directory, { recursive: true, force: true }) };
}

/** What a fixture policy reported: the JSON after the description's line. */
export function reported(violation: Violation): Record<string, unknown> {
    return JSON.parse(violation.message.slice(violation.message.indexOf("\n") + 1)) as Record<string, unknown>;
}

/** True while a process with this pid exists (a zombie counts: it still has a /proc entry). */
export function processExists(pid: number): boolean {
    if (fs.existsSync(`/proc/${pid}`)) {
        return true;
    }
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (condition()) {
            return true;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return condition();
}
