/**
 * A policy pack's `PulumiPolicy.yaml`, read as the CLI reads it before starting the pack: only a
 * nodejs runtime runs, each runtime option becomes an argument `-<key>=<value>`, and its `version`
 * is the one the CLI reports.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PolicyPackError } from "./types";

export interface PolicyProject {
    /** `version` of PulumiPolicy.yaml, when set. */
    version?: string;
    /** The runtime options as the runner's arguments. */
    runtimeArgs: string[];
}

export function readPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    let document: unknown;
    try {
        document = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "it has no PulumiPolicy.yaml" : (e as Error).message;
        throw new PolicyPackError(`${packDir} is not a policy pack: ${reason}`);
    }
    const project = (document ?? {}) as { runtime?: unknown; version?: unknown };
    const runtime = project.runtime;
    const runtimeName = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
    if (runtimeName !== "nodejs") {
        throw new PolicyPackError(`${file}: runtime is ${JSON.stringify(runtimeName)}; this client runs only nodejs policy packs`);
    }
    const options = typeof runtime === "object" && runtime !== null ? (runtime as { options?: Record<string, unknown> }).options ?? {} : {};
    const runtimeArgs = Object.entries(options)
        .filter(([, value]) => value !== undefined && value !== null && String(value) !== "")
        .map(([key, value]) => `-${key}=${String(value)}`);
    return { version: typeof project.version === "string" ? project.version : undefined, runtimeArgs };
}
