/**
 * Lambda entry point (`index.handler`). Configuration comes from the environment the program
 * sets; see `../shared/settings.ts` for the contract.
 */
import { createHandler } from "./handler";

export const handler = createHandler();
