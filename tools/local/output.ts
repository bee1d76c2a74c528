/**
 * Routes what this process writes to stdout, line by line, to `onLine` until restored. The
 * in-process workers log through Powertools, whose Console writes to `process.stdout` and looks up
 * `write` on every call; replacing it keeps their lines out of the run's own output (which must be
 * the trace alone, or the JSON document alone) and lets the run read them.
 */
export function captureStdout(onLine: (line: string) => void): () => void {
    const original = process.stdout.write;
    let pending = "";
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        pending += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        lines.filter((line) => line.length > 0).forEach(onLine);
        const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
        callback?.();
        return true;
    }) as typeof process.stdout.write;
    return () => {
        process.stdout.write = original;
        if (pending.length > 0) {
            onLine(pending);
            pending = "";
        }
    };
}
