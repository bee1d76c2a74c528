/**
 * The build of the Lambda functions: each (today one, `consumer`, from this directory's
 * `index.ts`) bundled with esbuild into `dist/functions/<name>/index.js`. The program
 * (`index.ts` at the root) builds them when it runs and deploys that directory, so `pulumi up`
 * never ships stale code; `npm run bundle` runs the same build by hand.
 */
import { build } from "esbuild";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** The project root: esbuild's working directory (for `tsconfig.json`) and where `dist/` is. */
const ROOT = path.resolve(__dirname, "..", "..");

/** Each function's name (its directory under the output) and entry point. */
const FUNCTIONS: Readonly<Record<string, string>> = { consumer: path.join(__dirname, "index.ts") };

export interface BundleOptions {
    /** Where `<name>/index.js` go; default `dist/functions` in the project root. */
    outDir?: string;
    /** Which functions; default all of them. */
    functions?: string[];
}

export interface BundleResult {
    name: string;
    /** Absolute path of the bundle; its directory is the function's code asset. */
    outfile: string;
    /** Size of `index.js` (the source map beside it is not counted). */
    bytes: number;
}

/** The budget per bundle: keeps cold starts short despite Powertools' JMESPath engine. */
export const MAX_BUNDLE_BYTES = 128 * 1024;

export async function bundleFunctions(options: BundleOptions = {}): Promise<BundleResult[]> {
    const outDir = path.resolve(options.outDir ?? path.join(ROOT, "dist", "functions"));
    const names = options.functions ?? Object.keys(FUNCTIONS);

    const results: BundleResult[] = [];
    for (const name of names) {
        if (!Object.hasOwn(FUNCTIONS, name)) {
            throw new Error(`No function "${name}": the functions are ${Object.keys(FUNCTIONS).join(", ")}`);
        }
        const entry = FUNCTIONS[name]!;
        const functionDir = path.join(outDir, name);
        const outfile = path.join(functionDir, "index.js");
        const { outputFiles } = await build({
            absWorkingDir: ROOT,
            entryPoints: [entry],
            outfile,
            bundle: true,
            platform: "node",
            target: "node22",
            // CommonJS, so the runtime loads `index.js` as `index.handler` without a package.json.
            format: "cjs",
            minify: true,
            sourcemap: true,
            // Stack traces need only the mappings (with NODE_OPTIONS=--enable-source-maps);
            // leaving the sources out keeps the deployment package small.
            sourcesContent: false,
            // The Node.js runtimes ship AWS SDK v3; bundling it would only add size.
            external: ["@aws-sdk/*"],
            legalComments: "none",
            logLevel: "silent",
            write: false,
        });
        // Each file is replaced atomically (written beside it, then renamed over it), so a program
        // run in another process — parallel test workers — never reads half a bundle or finds the
        // directory gone.
        mkdirSync(functionDir, { recursive: true });
        const written = new Set<string>();
        for (const file of outputFiles) {
            const temporary = `${file.path}.${process.pid}.tmp`;
            writeFileSync(temporary, file.contents);
            renameSync(temporary, file.path);
            written.add(path.basename(file.path));
        }
        // The whole directory is the code asset: a file left from an earlier build would ship too.
        for (const entryName of readdirSync(functionDir)) {
            if (!written.has(entryName) && !entryName.endsWith(".tmp")) {
                rmSync(path.join(functionDir, entryName), { recursive: true, force: true });
            }
        }
        results.push({ name, outfile, bytes: statSync(outfile).size });
    }
    return results;
}

/**
 * The builds started in this process, by options. Kept on the process rather than in this module:
 * harnesses that run the program many times in one process load its modules afresh for each run,
 * which would start a new map, and a new build, every time.
 */
const BUILDS = Symbol.for("event-pipeline.lambda-builds");

function buildsThisProcess(): Map<string, Promise<BundleResult[]>> {
    const processGlobal = globalThis as { [BUILDS]?: Map<string, Promise<BundleResult[]>> };
    return (processGlobal[BUILDS] ??= new Map());
}

/**
 * `bundleFunctions`, at most once per process for the same options. A `pulumi up` runs the program
 * once, so it always bundles the tree as it is; test harnesses that run the program many times in
 * one process reuse the first build instead of rebuilding identical code.
 */
export function bundleFunctionsOnce(options: BundleOptions = {}): Promise<BundleResult[]> {
    const builds = buildsThisProcess();
    const key = JSON.stringify(options);
    let build = builds.get(key);
    if (build === undefined) {
        build = bundleFunctions(options);
        builds.set(key, build);
        build.catch(() => builds.delete(key));
    }
    return build;
}

if (require.main === module) {
    bundleFunctions()
        .then((results) => {
            for (const { name, outfile, bytes } of results) {
                const over = bytes > MAX_BUNDLE_BYTES ? `  OVER the ${MAX_BUNDLE_BYTES / 1024} KiB budget` : "";
                console.log(`${name}: ${path.relative(process.cwd(), outfile)} ${(bytes / 1024).toFixed(1)} KiB${over}`);
            }
            if (results.some(({ bytes }) => bytes > MAX_BUNDLE_BYTES)) {
                process.exitCode = 1;
            }
        })
        .catch((error: unknown) => {
            console.error(error instanceof Error ? error.message : error);
            process.exitCode = 1;
        });
}
