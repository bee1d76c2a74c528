/**
 * Ends a command once its stdout has drained. `process.exit()` right after a large write loses
 * what a pipe has not taken yet (a pipe takes 64 KiB at a time; `npm run check -- --json | jq`
 * on prod got a cut-off document); waiting for the write's callback keeps all of it.
 */
export function exitWhenDrained(code: number): void {
    process.stdout.write("", () => process.exit(code));
}
