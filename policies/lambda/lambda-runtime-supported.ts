import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, knownString, plainProps } from "../lib/values";

export interface LambdaRuntimeSupportedArgs {
    /** Runtime identifiers AWS has deprecated (no security patches; creating, then updating, functions blocked). */
    deprecatedRuntimes?: string[];
}

/**
 * Runtimes deprecated by AWS as of 2026-11-26 (checked against AWS's Lambda runtimes page that day):
 * everything Node.js up to nodejs20.x (2026-04-30), Python up to python3.11 (python3.9 2025-12-15,
 * python3.10/3.11 with Amazon Linux 2 on 2026-06-30), Ruby up to ruby3.2 (2026-03-31), Java 8/11/17
 * and provided.al2 (Amazon Linux 2, 2026-06-30), .NET up to dotnet8 (2026-11-10), go1.x and the
 * Amazon Linux 1 runtimes. nodejs22.x is supported until 2027-04-30.
 */
const DEPRECATED_RUNTIMES_2026_11: readonly string[] = [
    "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x", "nodejs20.x",
    "python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "python3.10", "python3.11",
    "ruby2.5", "ruby2.7", "ruby3.2",
    "java8", "java8.al2", "java11", "java17",
    "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "dotnet7", "dotnet8",
    "go1.x", "provided", "provided.al2",
];

/** Compliant: the function's runtime is not one AWS has deprecated (config `deprecatedRuntimes`). */
export const lambdaRuntimeSupported: ResourceValidationPolicy = {
    name: "lambda-runtime-supported",
    description:
        "A deprecated Lambda runtime gets no security patches and AWS soon blocks creating, then updating, functions on it — " +
        "the next urgent fix could not be deployed. Move to a supported runtime before that day.\n" +
        "AWS documentation: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            deprecatedRuntimes: {
                type: "array",
                items: { type: "string" },
                default: [...DEPRECATED_RUNTIMES_2026_11],
                description: "Runtime identifiers AWS has deprecated (default: as of 2026-11-26).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:lambda/function:Function") {
            return;
        }
        // Container-image functions have no runtime; an unknown runtime cannot be judged yet.
        const runtime = knownString(plainProps(args.props).runtime);
        if (runtime === undefined) {
            return;
        }
        const configured = args.getConfig<LambdaRuntimeSupportedArgs>().deprecatedRuntimes;
        const deprecated = new Set(
            (configured === undefined ? DEPRECATED_RUNTIMES_2026_11 : asArray(configured))
                .filter((entry): entry is string => typeof entry === "string")
                .map((entry) => entry.toLowerCase()),
        );
        if (!deprecated.has(runtime.toLowerCase())) {
            return;
        }
        reportViolation(
            `Lambda function '${args.name}' uses the deprecated runtime ${runtime}: move it to a supported one ` +
                `(e.g. nodejs22.x, python3.13, java21) and test it there.`,
        );
    },
};
