/**
 * A Pulumi program's folder read as the CLI and its Node.js language host read it: `Pulumi.yaml`
 * names the project and its runtime (`runtime: nodejs`, or `runtime: { name: nodejs, options }`),
 * `main` points at the entry (a file or a folder) relative to the project folder; without `main`,
 * `package.json`'s `exports` or `main` does; otherwise the folder itself, whose `index.js` or
 * `index.ts` runs (`index.js` first, as Node resolves it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ProgramError } from "./program-error";

export interface PulumiProgram {
    /** The folder holding `Pulumi.yaml` and the stack files. */
    root: string;
    /** The project's name: the URNs' project and the config namespace. */
    name: string;
    /** The module the language host would load. */
    entry: string;
}

/** What Node tries after the path itself, in its order (`.ts` is registered after the built-in ones). */
const EXTENSIONS = [".js", ".ts"];

function readJson(file: string): Record<string, unknown> {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (e) {
        throw new ProgramError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
}

/** The entry `package.json` names, if it names one (`exports` first, then `main`). */
function packageEntry(packageJson: Record<string, unknown>): string | undefined {
    const exports = packageJson.exports;
    if (typeof exports === "string") {
        return exports;
    }
    if (exports !== null && typeof exports === "object") {
        const main = (exports as Record<string, unknown>)["."];
        if (typeof main === "string") {
            return main;
        }
        if (main !== null && typeof main === "object") {
            const conditions = main as Record<string, unknown>;
            const chosen = conditions.default ?? conditions.require ?? conditions.import;
            return typeof chosen === "string" ? chosen : undefined;
        }
    }
    return typeof packageJson.main === "string" ? packageJson.main : undefined;
}

/** `target` resolved as `require` resolves a path: the file, the file plus an extension, or the folder's entry. */
function resolveModule(target: string, tried: string[]): string | undefined {
    for (const candidate of [target, ...EXTENSIONS.map((extension) => `${target}${extension}`)]) {
        tried.push(candidate);
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
            return candidate;
        }
    }
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
        const packageFile = path.join(target, "package.json");
        const main = fs.existsSync(packageFile) ? readJson(packageFile).main : undefined;
        if (typeof main === "string") {
            const resolved = resolveModule(path.resolve(target, main), tried);
            if (resolved) {
                return resolved;
            }
        }
        return resolveModule(path.join(target, "index"), tried);
    }
    return undefined;
}

/** Reads `dir` as a Pulumi program; fails with a `ProgramError` saying what is missing or wrong. */
export function readPulumiProgram(dir: string): PulumiProgram {
    const root = path.resolve(dir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
        throw new ProgramError(`--program ${dir}: no such folder`);
    }
    const projectFile = path.join(root, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        throw new ProgramError(`${root} has no Pulumi.yaml: --program takes the folder of a Pulumi project`);
    }
    let project: { name?: unknown; runtime?: unknown; main?: unknown } | null;
    try {
        project = YAML.parse(fs.readFileSync(projectFile, "utf8")) as typeof project;
    } catch (e) {
        throw new ProgramError(`${projectFile} is not valid YAML: ${(e as Error).message}`);
    }
    if (typeof project?.name !== "string" || project.name === "") {
        throw new ProgramError(`${projectFile} has no name: add a line \`name: <project>\``);
    }
    const runtime = project.runtime;
    const runtimeName = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | null | undefined)?.name;
    if (runtimeName !== "nodejs") {
        throw new ProgramError(`${projectFile}: runtime is ${JSON.stringify(runtimeName ?? null)}; the check runs Node.js programs (runtime: nodejs, TypeScript or JavaScript) only`);
    }
    const packageFile = path.join(root, "package.json");
    const packageJson = fs.existsSync(packageFile) ? readJson(packageFile) : {};
    if (packageJson.type === "module") {
        throw new ProgramError(`${packageFile} says "type": "module": the check loads CommonJS programs (TypeScript compiled to CommonJS, or require-style JavaScript) only`);
    }
    let target = root;
    if (project.main !== undefined && project.main !== null) {
        if (typeof project.main !== "string" || project.main === "") {
            throw new ProgramError(`${projectFile}: main must be a path relative to the project folder`);
        }
        target = path.resolve(root, project.main);
    } else {
        const fromPackage = packageEntry(packageJson);
        if (fromPackage) {
            target = path.resolve(root, fromPackage);
        }
    }
    const tried: string[] = [];
    const entry = resolveModule(target, tried);
    if (entry === undefined) {
        throw new ProgramError(`${projectFile}: the program's entry does not exist (tried ${tried.map((t) => path.relative(root, t) || ".").join(", ")})`);
    }
    return { root, name: project.name, entry };
}
