// Preloaded (NODE_OPTIONS=--require=…) into a policy pack when the benchmark profiles it:
// `npm run bench -- --profile <dir>`. Node 20 refuses `--cpu-prof` in NODE_OPTIONS, and the client
// stops a pack with SIGTERM, whose default action would lose the profile anyway. So this starts
// V8's sampling profiler through the inspector as the pack loads and, on SIGTERM, writes
// `<BENCH_CPU_PROFILE_DIR>/<pid>.cpuprofile` (the format `--cpu-prof` writes) before exiting.
"use strict";
const fs = require("fs");
const inspector = require("inspector");
const path = require("path");

const directory = process.env.BENCH_CPU_PROFILE_DIR;
if (directory) {
    const session = new inspector.Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.setSamplingInterval", { interval: 1000 }); // µs, as --cpu-prof's default
    session.post("Profiler.start");
    process.once("SIGTERM", () => {
        session.post("Profiler.stop", (error, result) => {
            if (!error) {
                fs.writeFileSync(path.join(directory, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
            }
            process.exit(0);
        });
    });
}
