/**
 * Size of each Lambda bundle, built afresh by `consumers/lambda/bundle.ts` into a temporary
 * directory (the shared `dist/` is left to `npm run bundle`). If the build fails, the sizes of an
 * earlier build in `dist/functions/*\/index.js` are reported instead, marked as such.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleFunctions, MAX_BUNDLE_BYTES } from "../../consumers/lambda/bundle";
import { THIS_PROJECT_ROOT } from "../project";

export interface BundleSize {
    bytes: number;
    kib: number;
    budgetBytes: number;
    withinBudget: boolean;
    /** `bundleFunctions()` (built now) or `dist/functions` (an earlier build, because building failed). */
    source: string;
}

function entry(bytes: number, source: string): BundleSize {
    return { bytes, kib: Math.round((bytes / 1024) * 10) / 10, budgetBytes: MAX_BUNDLE_BYTES, withinBudget: bytes <= MAX_BUNDLE_BYTES, source };
}

export async function measureBundles(log: (line: string) => void): Promise<Record<string, BundleSize>> {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-bundles-"));
    try {
        const built = await bundleFunctions({ outDir });
        return Object.fromEntries(built.map((b) => [b.name, entry(b.bytes, "bundleFunctions()")]));
    } catch (e) {
        log(`bundleFunctions() failed (${(e as Error).message}); reporting dist/functions from an earlier build`);
        const dist = path.join(THIS_PROJECT_ROOT, "dist", "functions");
        const names = fs.existsSync(dist) ? fs.readdirSync(dist).filter((name) => fs.existsSync(path.join(dist, name, "index.js"))) : [];
        return Object.fromEntries(names.sort().map((name) => [name, entry(fs.statSync(path.join(dist, name, "index.js")).size, "dist/functions")]));
    } finally {
        fs.rmSync(outDir, { recursive: true, force: true });
    }
}
