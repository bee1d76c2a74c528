// dynalite ships no type declarations; this is the part of its API the local run uses.
declare module "dynalite" {
    import type { Server } from "node:http";

    interface DynaliteOptions {
        /** Time tables stay in CREATING state (ms); 500 by default. */
        createTableMs?: number;
        deleteTableMs?: number;
        updateTableMs?: number;
        /** A LevelDB directory; in memory when absent. */
        path?: string;
    }

    function dynalite(options?: DynaliteOptions): Server;
    export = dynalite;
}
