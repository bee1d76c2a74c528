/**
 * One run per stack file and mode, shared by the specs that only read it (each run of the whole
 * program takes about a second). The determinism spec compares a shared run with a fresh one.
 */
import { ProgramRun, runProgram } from "../../tools/mock-runtime";
import { THIS_PROJECT_ROOT } from "../../tools/project";
import { readStackConfig } from "../../tools/stack-files";

const runs = new Map<string, Promise<ProgramRun>>();

/** Runs `index.ts` for `Pulumi.<stack>.yaml`, always afresh. */
export function runStackFile(stack: string, preview = false): Promise<ProgramRun> {
    const { config, secretKeys } = readStackConfig(THIS_PROJECT_ROOT, stack);
    return runProgram({ stack, config, secretKeys, preview });
}

/** The shared run of `index.ts` for `Pulumi.<stack>.yaml`. Runs are sequential: call it from a hook and await it. */
export function sharedStackRun(stack: string, preview = false): Promise<ProgramRun> {
    const key = `${stack}:${preview}`;
    let run = runs.get(key);
    if (run === undefined) {
        run = runStackFile(stack, preview);
        runs.set(key, run);
    }
    return run;
}
