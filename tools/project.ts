/**
 * This repository's own Pulumi project: where it lives and what it is called. Named as this
 * project's, not "the" project's: the harness also runs other programs (the tests' fixture
 * programs), each under the project name it is given.
 */
import * as path from "node:path";
import { readProjectName } from "./stack-files";

/** The folder holding this project's `Pulumi.yaml`, stack files, `index.ts` and `policies/`. */
export const THIS_PROJECT_ROOT = path.resolve(__dirname, "..");

/** This project's name as its `Pulumi.yaml` declares it: the URNs' project and the config namespace. */
export const THIS_PROJECT_NAME = readProjectName(THIS_PROJECT_ROOT);

/** This project's policy pack (`policies/`): what `npm run check` and the benchmark judge with. */
export const THIS_PROJECT_POLICY_PACK_DIR = path.join(THIS_PROJECT_ROOT, "policies");
