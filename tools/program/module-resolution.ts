/**
 * How the checked program's imports resolve: from its own `node_modules` (Node's usual lookup from
 * the importing file up), and when that finds nothing, from this project's `node_modules`, which
 * holds `@pulumi/pulumi`, `@pulumi/aws` and `@pulumi/awsx` — so a program folder without a
 * `package.json` or `node_modules` still runs. A module found in neither is a `ProgramError`
 * naming it and the file that imports it.
 *
 * Only imports made by the program's own files (under its folder, outside `node_modules`) get the
 * fallback; the hook is installed for the program's run and removed after it.
 */
import Module from "node:module";
import * as path from "node:path";
import { ProgramError } from "./program-error";

type ResolveFilename = (request: string, parent: NodeJS.Module | undefined, isMain: boolean, options?: { paths?: string[] }) => string;

const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** A file of the program itself: under its folder and not in any `node_modules`. */
export function isProgramFile(file: string, programRoot: string): boolean {
    const relative = path.relative(programRoot, file);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) && !`${path.sep}${relative}`.includes(NODE_MODULES);
}

function isPathRequest(request: string): boolean {
    return request.startsWith("./") || request.startsWith("../") || request === "." || request === ".." || path.isAbsolute(request);
}

/**
 * Installs the fallback for the program in `programRoot` (falling back to `fallbackRoot`'s
 * modules); returns the function that removes it.
 */
export function installModuleFallback(programRoot: string, fallbackRoot: string): () => void {
    const original = moduleInternals._resolveFilename;
    const resolveFilename: ResolveFilename = function (this: unknown, request, parent, isMain, options) {
        try {
            return original.call(this, request, parent, isMain, options);
        } catch (e) {
            const importer = parent?.filename;
            if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND" || importer === undefined || importer === null || !isProgramFile(importer, programRoot)) {
                throw e;
            }
            const where = path.relative(programRoot, importer);
            if (isPathRequest(request)) {
                throw new ProgramError(`Cannot find module '${request}' imported by ${where}`);
            }
            try {
                return original.call(this, request, parent, isMain, { paths: [fallbackRoot] });
            } catch {
                throw new ProgramError(
                    `Cannot find module '${request}' imported by ${where}: it is neither in the program's node_modules nor in the check's ` +
                        `(which has @pulumi/pulumi, @pulumi/aws and @pulumi/awsx); run npm install in ${programRoot}`,
                );
            }
        }
    };
    moduleInternals._resolveFilename = resolveFilename;
    return () => {
        if (moduleInternals._resolveFilename === resolveFilename) {
            moduleInternals._resolveFilename = original;
        }
    };
}
