// Preloaded (`node --require`) into the policy pack's process by tools/analyzer/pack-process.ts.
// The client holds this process's stdin open and never writes to it, so end-of-file means the
// client is gone — even killed outright, when its exit hook cannot run — and the pack must not
// outlive it holding a port. Unref'd, so a pack that fails to load still exits on its own.
"use strict";
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
process.stdin.unref();
