/**
 * Routes what this process writes to stdout and stderr, line by line, to the listeners until each
 * unsubscribes. The in-process workers log through Powertools, whose Console writes to
 * `process.stdout` (errors to `process.stderr`) and looks up `write` on every call; replacing it
 * keeps their lines out of the run's own output (which must be the trace alone, or the JSON
 * document alone) and lets the run read them. Runs may overlap (the specs run several at once):
 * the streams are replaced while any run listens, and every listener sees every line (each run
 * keeps only its own messages' lines).
 */
type Listener = (line: string) => void;
type Stream = NodeJS.WriteStream;

const listeners = new Set<Listener>();
const streams: Stream[] = [process.stdout, process.stderr];
const originals = new Map<Stream, Stream["write"]>();
const pending = new Map<Stream, string>();

/** Writes to the real stderr, whether or not it is being captured. */
export function writeStderr(text: string): void {
    (originals.get(process.stderr) ?? process.stderr.write).call(process.stderr, text);
}

function capturing(stream: Stream): Stream["write"] {
    return ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const text = (pending.get(stream) ?? "") + (typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        const lines = text.split("\n");
        pending.set(stream, lines.pop() ?? "");
        for (const line of lines.filter((l) => l.length > 0)) {
            listeners.forEach((listener) => listener(line));
        }
        const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
        callback?.();
        return true;
    }) as Stream["write"];
}

export function captureOutput(onLine: Listener): () => void {
    if (listeners.size === 0) {
        for (const stream of streams) {
            originals.set(stream, stream.write);
            stream.write = capturing(stream);
        }
    }
    listeners.add(onLine);
    let active = true;
    return () => {
        if (!active) {
            return;
        }
        active = false;
        listeners.delete(onLine);
        if (listeners.size === 0) {
            for (const stream of streams) {
                const rest = pending.get(stream);
                if (rest) {
                    onLine(rest);
                }
                pending.delete(stream);
                stream.write = originals.get(stream) as Stream["write"];
                originals.delete(stream);
            }
        }
    };
}
