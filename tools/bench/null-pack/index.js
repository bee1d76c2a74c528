// The benchmark's null pack: the same server, protocol and per-resource work the SDK does for any
// pack (each Analyze request deserialized and wrapped in the unknown-checking proxy, one
// AnalyzeStack call decoded), but a policy that reads nothing and reports nothing.
//
// Plain JavaScript with no dependencies of its own: `@pulumi/policy` and `@pulumi/pulumi` resolve
// from the project's node_modules, as for `policies/`, so both packs run on the same SDK, and the
// runner starts it without compiling anything.
"use strict";
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("bench-null-pack", {
    policies: [
        {
            name: "checks-nothing",
            description: "Runs on every resource and checks nothing.",
            enforcementLevel: "advisory",
            // No type filter: the server must invoke it for every resource, as it does the real
            // pack's untyped policies.
            validateResource: () => undefined,
        },
    ],
});
