/**
 * The image cannot be built here (no Docker engine in CI), so these checks catch, without Docker,
 * the mistakes that would only show at `pulumi up`: a package the worker imports but the image
 * does not install, versions that drift from the ones the tests ran against, a Dockerfile that
 * copies something the build context leaves out, or one that runs as root.
 */
import { build } from "esbuild";
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

interface PackageJson {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
}

describe("worker image", () => {
    const rootPackage = JSON.parse(read("package.json")) as PackageJson;
    const workerPackage = JSON.parse(read("consumers/worker/package.json")) as PackageJson;
    const dockerfile = read("consumers/worker/Dockerfile");

    it("installs every package the worker's code imports", async () => {
        const result = await build({
            absWorkingDir: ROOT,
            entryPoints: ["consumers/worker/main.ts"],
            bundle: true,
            platform: "node",
            packages: "external",
            metafile: true,
            write: false,
            logLevel: "silent",
        });
        const imported = new Set(
            Object.values(result.metafile.inputs)
                .flatMap((input) => input.imports)
                .filter((entry) => entry.external && !entry.path.startsWith("node:"))
                .map((entry) => entry.path.split("/").slice(0, entry.path.startsWith("@") ? 2 : 1).join("/")),
        );
        assert.ok(imported.size > 0);
        const declared = Object.keys(workerPackage.dependencies ?? {});
        assert.deepEqual([...imported].filter((name) => !declared.includes(name)), []);
    });

    it("pins the same versions as the root package.json, and its lockfile matches", () => {
        const all = { ...workerPackage.dependencies, ...workerPackage.devDependencies };
        const rootAll = { ...rootPackage.dependencies, ...rootPackage.devDependencies };
        for (const [name, version] of Object.entries(all)) {
            assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned exactly`);
            assert.equal(rootAll[name]?.replace(/^\^/, ""), version, `${name} as in the root package.json`);
        }
        const lock = JSON.parse(read("consumers/worker/package-lock.json")) as { packages: Record<string, PackageJson & { version?: string }> };
        assert.deepEqual(lock.packages[""].dependencies, workerPackage.dependencies);
        assert.deepEqual(lock.packages[""].devDependencies, workerPackage.devDependencies);
        for (const [name, version] of Object.entries(all)) {
            assert.equal(lock.packages[`node_modules/${name}`]?.version, version, `${name} locked`);
        }
    });

    it("is a multi-stage Node 22 build that runs unprivileged, with node as PID 1", () => {
        const stages = dockerfile.match(/^FROM\s+/gm) ?? [];
        assert.ok(stages.length >= 2, "multi-stage");
        assert.match(dockerfile, /^ARG NODE_IMAGE=node:22-alpine$/m);
        const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
        const user = /^USER\s+(\S+)/m.exec(runtime)?.[1];
        assert.ok(user !== undefined && user !== "root" && user !== "0", "USER is not root");
        assert.match(runtime, /^CMD \["node", "worker\.js"\]$/m);
        assert.doesNotMatch(runtime, /^COPY (?!--from=build)/m, "the runtime stage copies only the build's output");
    });

    it("copies only what its build context sends", () => {
        const ignore = read("consumers/worker/Dockerfile.dockerignore")
            .split("\n")
            .map((line) => line.trim())
            .filter((line) => line.length > 0 && !line.startsWith("#"));
        assert.equal(ignore[0], "*", "everything is excluded unless listed");
        const allowed = ignore.filter((line) => line.startsWith("!")).map((line) => line.slice(1));
        const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((match) => match[1].trim().split(/\s+/).slice(0, -1));
        assert.ok(sources.length > 0);
        for (const source of sources) {
            assert.ok(
                allowed.some((entry) => source === entry || source.startsWith(`${entry}/`)),
                `${source} is in the context`,
            );
            assert.ok(existsSync(path.join(ROOT, source)), `${source} exists`);
        }
    });
});
