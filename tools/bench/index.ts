/**
 * `npm run bench` (flags: `USAGE` below; BENCHMARKS.md explains each, and owns the figures).
 *
 * What the policy pack costs and how it grows, against the floor the analyzer protocol sets:
 * synthetic stacks of ~1,000 and ~10,000 resources cloned from the real program's graph
 * (`synthetic-stack.ts`), judged by the real pack and by a null pack (`null-pack/`: one policy
 * that checks nothing) over the client `npm run check` uses, each run on a freshly started pack;
 * the latency of `npm run check` per stack; the size of each Lambda bundle. Figures are medians.
 *
 * `--json` prints one JSON document on stdout and nothing else (progress goes to stderr). Exit 0
 * when every goal is met, 1 when one is missed, 2 when the benchmark could not run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { AnalyzedResource, Violation } from "../analyzer";
import { toAnalyzedResources } from "../check/judge";
import { THIS_PROJECT_POLICY_PACK_DIR, THIS_PROJECT_ROOT } from "../project";
import { exitWhenDrained } from "../exit-when-drained";
import { listStacks } from "../stack-files";
import { BundleSize, measureBundles } from "./bundle-sizes";
import { CheckLatency, measureCheck } from "./check-latency";
import { NULL_PACK_DIR, PackRun, timePack } from "./pack-timing";
import { formatProfile, summarizeProfile } from "./profile";
import { median } from "./stats";
import { consumersFor, generateStack, recordTemplate, StackTemplate } from "./synthetic-stack";

const USAGE =
    "usage: npm run bench -- [--runs N] [--check-runs N] [--stack dev] [--preview] [--profile DIR] [--skip-check] [--skip-bundles] [--json]";

const CPU_PROFILE_PRELOAD = path.join(__dirname, "cpu-profile.js");

/** Issue 7's goals. */
const GOALS = { ratioToNullPack: 3, growth1kTo10k: 12 } as const;

/** Enough fresh packs for a steady median, few enough to keep the whole benchmark within minutes on 2 cores. */
const DEFAULT_RUNS = 5;
const DEFAULT_CHECK_RUNS = 5;

interface PolicyPackFigures {
    ms1k: number;
    ms10k: number;
    nullMs10k: number;
    ratioToNullPack: number;
    growth1kTo10k: number;
}

interface BenchReport {
    policyPack: PolicyPackFigures;
    check: Record<string, CheckLatency>;
    bundles: Record<string, BundleSize>;
}

interface Case {
    label: string;
    packDir: string;
    size: "1k" | "10k";
    runs: PackRun[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (ms: number) => Math.round(ms);
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const thousands = (n: number) => n.toLocaleString("en-US");

function loadNow(): string {
    return os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(", ");
}

function describeViolations(violations: Violation[]): string {
    return violations
        .slice(0, 10)
        .map((v) => `  ${v.policyName} (${v.enforcementLevel}) ${v.urn ?? "(stack)"}: ${v.message.split("\n").pop()}`)
        .join("\n");
}

function positiveInteger(value: string | undefined, fallback: number, flag: string): number {
    if (value === undefined) {
        return fallback;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
        throw new Error(`${flag} must be a positive integer, not ${JSON.stringify(value)}`);
    }
    return n;
}

function caseFigures(c: Case) {
    const pick = (f: (r: PackRun) => number | undefined) => {
        const values = c.runs.map(f).filter((v): v is number => v !== undefined);
        return values.length > 0 ? round(median(values)) : undefined;
    };
    return {
        ms: pick((r) => r.ms)!,
        analyzeMs: pick((r) => r.analyzeMs)!,
        analyzeStackMs: pick((r) => r.analyzeStackMs)!,
        startupMs: pick((r) => r.startupMs)!,
        packCpuMs: pick((r) => r.packCpuMs),
        clientCpuMs: pick((r) => r.clientCpuMs)!,
    };
}

/** One run of the pack on `resources` with the V8 profiler on; returns the profile's path. */
async function profileRun(profileDir: string, label: string, packDir: string, resources: AnalyzedResource[], template: StackTemplate): Promise<string> {
    fs.mkdirSync(profileDir, { recursive: true });
    const before = new Set(fs.readdirSync(profileDir));
    // Not `--cpu-prof`: Node 20 does not accept it in NODE_OPTIONS (see cpu-profile.js).
    const nodeOptions = [process.env.NODE_OPTIONS, `--require=${CPU_PROFILE_PRELOAD}`].filter(Boolean).join(" ");
    await timePack(packDir, resources, {
        stack: template.stack,
        dryRun: template.preview,
        env: { NODE_OPTIONS: nodeOptions, BENCH_CPU_PROFILE_DIR: profileDir },
    });
    const written = fs.readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile") && !before.has(f));
    if (written.length !== 1) {
        throw new Error(`expected one new profile in ${profileDir}, found ${written.length}`);
    }
    const file = path.join(profileDir, `${label}.cpuprofile`);
    fs.renameSync(path.join(profileDir, written[0]), file);
    return file;
}

function textReport(report: BenchReport, cases: Case[], sizes: Record<string, number>, template: StackTemplate, runs: number, loads: string[]): string {
    const lines: string[] = [];
    const { policyPack } = report;
    lines.push(
        `Synthetic stacks cloned from the ${template.stack} program (${template.preview ? "preview: computed outputs unknown" : "after an update: outputs known"}): ` +
            `${thousands(sizes["1k"])} and ${thousands(sizes["10k"])} resources ` +
            `(${template.shared.length} shared + ${template.consumer.length} per Lambda consumer)`,
    );
    lines.push(`Policy pack: median of ${runs} fresh packs each; ms = GetAnalyzerInfo … AnalyzeStack (start-up excluded, shown apart)`);
    lines.push(`  ${"".padEnd(14)}${"ms".padStart(9)}${"Analyze".padStart(10)}${"Stack".padStart(9)}${"pack CPU".padStart(10)}${"client CPU".padStart(12)}${"start-up".padStart(10)}`);
    for (const c of cases) {
        const f = caseFigures(c);
        lines.push(
            `  ${c.label.padEnd(14)}${thousands(f.ms).padStart(9)}${thousands(f.analyzeMs).padStart(10)}${thousands(f.analyzeStackMs).padStart(9)}` +
                `${(f.packCpuMs === undefined ? "n/a" : thousands(f.packCpuMs)).padStart(10)}${thousands(f.clientCpuMs).padStart(12)}${thousands(f.startupMs).padStart(10)}`,
        );
    }
    const verdict = (value: number, goal: number) => `${value} (goal ≤ ${goal}: ${value <= goal ? "met" : "MISSED"})`;
    lines.push(`  ratioToNullPack  ${verdict(policyPack.ratioToNullPack, GOALS.ratioToNullPack)}`);
    lines.push(`  growth1kTo10k    ${verdict(policyPack.growth1kTo10k, GOALS.growth1kTo10k)}`);
    if (Object.keys(report.check).length > 0) {
        lines.push("npm run check (spawned, wall clock from spawn to exit):");
        for (const [stack, c] of Object.entries(report.check)) {
            lines.push(
                `  ${stack.padEnd(6)} median ${thousands(c.medianMs)} ms of ${c.samplesMs.map(thousands).join(", ")}; ${c.resources} resources, ` +
                    `${c.mandatoryViolations} mandatory violations`,
            );
        }
    }
    if (Object.keys(report.bundles).length > 0) {
        lines.push("Lambda bundles:");
        for (const [name, b] of Object.entries(report.bundles)) {
            lines.push(`  ${name.padEnd(10)} ${b.kib} KiB (${thousands(b.bytes)} bytes; budget ${b.budgetBytes / 1024} KiB: ${b.withinBudget ? "met" : "MISSED"}; ${b.source})`);
        }
    }
    lines.push(`Load average (1, 5, 15 min) at start: ${loads[0]}; at end: ${loads[1]}. ${os.cpus().length} CPUs, Node ${process.version}.`);
    return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: argv,
            options: {
                runs: { type: "string" },
                "check-runs": { type: "string" },
                stack: { type: "string" },
                preview: { type: "boolean" },
                profile: { type: "string" },
                "skip-check": { type: "boolean" },
                "skip-bundles": { type: "boolean" },
                json: { type: "boolean" },
                help: { type: "boolean" },
            },
        }).values;
    } catch (e) {
        log(`${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    let runs: number;
    let checkRuns: number;
    try {
        runs = positiveInteger(args.runs, DEFAULT_RUNS, "--runs");
        checkRuns = positiveInteger(args["check-runs"], DEFAULT_CHECK_RUNS, "--check-runs");
    } catch (e) {
        log(`${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    // stdout carries the report alone: whatever the program under mocks logs goes to stderr.
    console.log = console.info = (...parts: unknown[]) => log(parts.join(" "));

    const startedAt = performance.now();
    const loads = [loadNow()];
    log(`load average ${loads[0]}; ${os.cpus().length} CPUs; Node ${process.version}`);

    const template = await recordTemplate({ stack: args.stack, preview: args.preview });
    const stacks: Record<"1k" | "10k", AnalyzedResource[]> = {
        "1k": toAnalyzedResources(generateStack(template, consumersFor(template, 1_000))),
        "10k": toAnalyzedResources(generateStack(template, consumersFor(template, 10_000))),
    };
    const sizes = { "1k": stacks["1k"].length, "10k": stacks["10k"].length };
    log(`template: ${template.shared.length} shared resources + ${template.consumer.length} per consumer; stacks of ${sizes["1k"]} and ${sizes["10k"]}`);

    const options = { stack: template.stack, dryRun: template.preview };
    const cases: Case[] = [
        { label: "full pack 1k", packDir: THIS_PROJECT_POLICY_PACK_DIR, size: "1k", runs: [] },
        { label: "full pack 10k", packDir: THIS_PROJECT_POLICY_PACK_DIR, size: "10k", runs: [] },
        { label: "null pack 1k", packDir: NULL_PACK_DIR, size: "1k", runs: [] },
        { label: "null pack 10k", packDir: NULL_PACK_DIR, size: "10k", runs: [] },
    ];
    // This process's own JIT (the client builds every message) warms up once, outside the figures.
    await timePack(NULL_PACK_DIR, stacks["1k"], options);
    // Rounds interleave the cases, so a neighbour's burst of load slows all of them alike.
    for (let pass = 1; pass <= runs; pass++) {
        for (const c of cases) {
            const run = await timePack(c.packDir, stacks[c.size], options);
            // The bench measures a passing stack: a violation means the synthetic stack (or a
            // policy) is wrong, and a policy that gave up on a resource would look cheap.
            if (run.violations.length > 0) {
                throw new Error(`${c.label}: the synthetic stack has ${run.violations.length} violations:\n${describeViolations(run.violations)}`);
            }
            c.runs.push(run);
            log(
                `run ${pass}/${runs} ${c.label}: ${round(run.ms)} ms (Analyze ${round(run.analyzeMs)}, AnalyzeStack ${round(run.analyzeStackMs)}, ` +
                    `pack CPU ${run.packCpuMs === undefined ? "n/a" : round(run.packCpuMs)}, client CPU ${round(run.clientCpuMs)}, start-up ${round(run.startupMs)}); ` +
                    `load ${loadNow()}`,
            );
        }
    }
    const [full1k, full10k, , null10k] = cases.map(caseFigures);
    const policyPack: PolicyPackFigures = {
        ms1k: full1k.ms,
        ms10k: full10k.ms,
        nullMs10k: null10k.ms,
        ratioToNullPack: ratio(full10k.ms, null10k.ms),
        growth1kTo10k: ratio(full10k.ms, full1k.ms),
    };

    const profiles: string[] = [];
    if (args.profile) {
        const dir = path.resolve(args.profile);
        for (const [label, packDir] of [
            ["full-pack-10k", THIS_PROJECT_POLICY_PACK_DIR],
            ["null-pack-10k", NULL_PACK_DIR],
        ] as const) {
            const file = await profileRun(dir, label, packDir, stacks["10k"], template);
            profiles.push(formatProfile(summarizeProfile(file)));
            log(`profile written: ${file}`);
        }
    }

    const check: Record<string, CheckLatency> = {};
    if (!args["skip-check"]) {
        for (const stack of listStacks(THIS_PROJECT_ROOT)) {
            check[stack] = await measureCheck(stack, checkRuns);
            log(`npm run check --stack ${stack}: median ${check[stack].medianMs} ms of ${check[stack].samplesMs.join(", ")}; load ${loadNow()}`);
        }
    }
    const bundles = args["skip-bundles"] ? {} : await measureBundles(log);
    loads.push(loadNow());
    log(`benchmark took ${Math.round((performance.now() - startedAt) / 1000)} s`);

    const report: BenchReport = { policyPack, check, bundles };
    if (args.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        for (const profile of profiles) {
            log(profile);
        }
    } else {
        process.stdout.write(`${[textReport(report, cases, sizes, template, runs, loads), ...profiles].join("\n\n")}\n`);
    }
    const missed =
        policyPack.ratioToNullPack > GOALS.ratioToNullPack ||
        policyPack.growth1kTo10k > GOALS.growth1kTo10k ||
        Object.values(bundles).some((b) => !b.withinBudget);
    return missed ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        exitWhenDrained,
        (e: unknown) => {
            log(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
            process.exit(2);
        },
    );
}
