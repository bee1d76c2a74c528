/**
 * The issue's "done when": the built pack, driven over the analyzer protocol as the CLI drives it,
 * judges correctly a labelled set of resources and stack fragments it has never seen.
 *
 * The set lives in tests/policies/labelled/*.json, in the engine's shape: every resource has its
 * URN (stack, project, parent type chain, name), type, name, parent, protect flag, inputs (and,
 * for deployed stack fragments, outputs), propertyDependencies by URN, and a reference to its
 * provider, whose props carry `defaultTags` as the JSON string the engine sends. Unknown values
 * are the engine's unknown sentinel string (`04da6b54-…`), secrets its secret object.
 *
 * A case is a `resource` case — each resource judged with `Analyze` — or a `stack` fragment —
 * each resource judged with `Analyze`, then the whole fragment (and its providers) with
 * `AnalyzeStack`. Its `expect` maps URNs to the exact set of policies that must fire on them;
 * every resource not listed must draw no violation. A case may carry a `config`, what a
 * `--policy-pack-config` file would hold (a budget, say), laid over the defaults for that case only. A stack fragment may instead be the base
 * pipeline (tests/policies/base-pipeline.json) with a `pipeline` patch, expanded by
 * tests/policies/pipeline.ts; its `expect` then names resources by their key in the pipeline. The pack runs with the config the CLI would
 * give it without a config file: every policy at its default level, with its schema's defaults.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policies/policies";
import {
    AnalyzedResource,
    AnalyzerInfo,
    parsePolicyConfig,
    PolicyPackClient,
    ProviderReference,
    resolvePolicyConfig,
    startPolicyPack,
    UNKNOWN_SENTINELS,
    Violation,
} from "../../tools/analyzer";
import { expandPipeline, PIPELINE_FILE, PipelinePatch } from "./pipeline";

const PACK_DIRECTORY = path.resolve(__dirname, "../../policies");
const LABELLED_DIRECTORY = path.join(__dirname, "labelled");
const PROJECT = "event-pipeline";
const MIN_CASES = 2 * policies.length;
const POLICY_NAMES = new Set(policies.map((p) => p.name));
const UNKNOWN = UNKNOWN_SENTINELS.string;

interface LabelledResource {
    urn: string;
    type: string;
    name: string;
    parent: string;
    provider?: string;
    protect: boolean;
    inputs: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
}

interface LabelledCase {
    id: string;
    kind: "resource" | "stack";
    /** The policies the case is about: each must fire where `expect` says, and stay quiet elsewhere. */
    policies: string[];
    note: string;
    resources: LabelledResource[];
    /** URN → the exact policies that must fire on it. */
    expect: Record<string, string[]>;
    /** Policy config for this case only, over the defaults, as a `--policy-pack-config` file holds it. */
    config?: Record<string, unknown>;
}

interface LabelledFile {
    file: string;
    about: string;
    providers: ProviderReference[];
    cases: LabelledCase[];
}

/** A case as written: its resources in full, or the base pipeline with a patch (and `expect` by resource key). */
type WrittenCase = Omit<LabelledCase, "resources"> & { resources?: LabelledResource[]; pipeline?: PipelinePatch };

/** A written case as the pack judges it: a pipeline case expanded, `expect` by URN. */
export function expandCase(written: WrittenCase): LabelledCase {
    if (written.pipeline === undefined) {
        return { ...written, resources: written.resources ?? [] };
    }
    if (written.resources !== undefined) {
        throw new Error(`${written.id}: either resources or pipeline, not both`);
    }
    const { pipeline, ...rest } = written;
    const { resources, urnOf } = expandPipeline(pipeline);
    return { ...rest, resources, expect: Object.fromEntries(Object.entries(written.expect).map(([key, names]) => [urnOf(key), names])) };
}

// ---------------------------------------------------------------------------------------------
// Reading and checking the set

interface ParsedUrn {
    stack: string;
    project: string;
    typeChain: string[];
    name: string;
}

function parseUrn(urn: string): ParsedUrn | undefined {
    const match = /^urn:pulumi:([^:]+)::([^:]+)::([^:][^]*?)::(.+)$/.exec(urn);
    if (!match) {
        return undefined;
    }
    return { stack: match[1], project: match[2], typeChain: match[3].split("$"), name: match[4] };
}

const rootStackUrn = (stack: string) => `urn:pulumi:${stack}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stack}`;

/** Every way a labelled file breaks the engine's shape or names what does not exist; empty when it is sound. */
export function problemsOf(labelled: LabelledFile): string[] {
    const problems: string[] = [];
    const providers = new Map<string, ProviderReference>();
    for (const provider of labelled.providers) {
        const parsed = parseUrn(provider.urn);
        if (!parsed || parsed.typeChain.join("$") !== provider.type || parsed.name !== provider.name || !provider.type.startsWith("pulumi:providers:")) {
            problems.push(`provider ${provider.urn}: URN, type and name disagree`);
        }
        providers.set(provider.urn, provider);
    }
    const ids = new Set<string>();
    for (const c of labelled.cases) {
        const at = `${labelled.file} › ${c.id}`;
        if (ids.has(c.id)) {
            problems.push(`${at}: duplicate id`);
        }
        ids.add(c.id);
        if (c.kind !== "resource" && c.kind !== "stack") {
            problems.push(`${at}: kind must be resource or stack`);
        }
        if (typeof c.note !== "string" || c.note.trim() === "") {
            problems.push(`${at}: says nothing about what it shows`);
        }
        for (const name of c.policies) {
            if (!POLICY_NAMES.has(name)) {
                problems.push(`${at}: is about ${name}, no policy of the pack`);
            }
        }
        for (const name of Object.keys(c.config ?? {})) {
            if (!POLICY_NAMES.has(name)) {
                problems.push(`${at}: configures ${name}, no policy of the pack`);
            }
        }
        const urns = new Set<string>();
        for (const r of c.resources) {
            const parsed = parseUrn(r.urn);
            if (urns.has(r.urn)) {
                problems.push(`${at}: ${r.urn} appears twice`);
            }
            urns.add(r.urn);
            if (!parsed || parsed.project !== PROJECT || parsed.typeChain[parsed.typeChain.length - 1] !== r.type || parsed.name !== r.name) {
                problems.push(`${at}: ${r.urn} does not end with its type ${r.type} and name ${r.name}`);
                continue;
            }
            const parent = parseUrn(r.parent);
            const isTopLevel = r.parent === rootStackUrn(parsed.stack);
            if (isTopLevel ? parsed.typeChain.length !== 1 : !parent || parent.stack !== parsed.stack || parent.typeChain.join("$") !== parsed.typeChain.slice(0, -1).join("$")) {
                problems.push(`${at}: the type chain of ${r.urn} does not continue its parent's (${r.parent})`);
            }
            if (r.provider !== undefined) {
                const provider = providers.get(r.provider);
                if (!provider) {
                    problems.push(`${at}: ${r.urn} uses the provider ${r.provider}, not in the file's providers`);
                } else if (parseUrn(provider.urn)?.stack !== parsed.stack) {
                    problems.push(`${at}: ${r.urn} uses a provider of another stack`);
                }
            }
            if (typeof r.protect !== "boolean" || typeof r.inputs !== "object" || r.inputs === null) {
                problems.push(`${at}: ${r.urn} lacks protect or inputs`);
            }
            if (c.kind === "resource" && r.outputs !== undefined) {
                problems.push(`${at}: ${r.urn} has outputs, which Analyze never sees`);
            }
            for (const [property, dependencies] of Object.entries(r.propertyDependencies ?? {})) {
                for (const dependency of dependencies) {
                    if (parseUrn(dependency)?.stack !== parsed.stack) {
                        problems.push(`${at}: ${r.urn}.${property} depends on ${dependency}, not a resource of its stack`);
                    }
                }
            }
        }
        for (const [urn, names] of Object.entries(c.expect)) {
            if (!urns.has(urn)) {
                problems.push(`${at}: expects violations on ${urn}, not a resource of the case`);
            }
            if (names.length === 0 || new Set(names).size !== names.length) {
                problems.push(`${at}: the label of ${urn} must be a non-empty set`);
            }
            for (const name of names) {
                if (!POLICY_NAMES.has(name)) {
                    problems.push(`${at}: expects ${name} on ${urn}, no policy of the pack`);
                }
            }
        }
    }
    return problems;
}

function readLabelledSet(): LabelledFile[] {
    return fs
        .readdirSync(LABELLED_DIRECTORY)
        .filter((file) => file.endsWith(".json"))
        .sort()
        .map((file) => {
            const written = JSON.parse(fs.readFileSync(path.join(LABELLED_DIRECTORY, file), "utf8")) as Omit<LabelledFile, "file" | "cases"> & { cases: WrittenCase[] };
            return { file, ...written, cases: written.cases.map(expandCase) };
        });
}

function analyzed(labelled: LabelledFile, r: LabelledResource): AnalyzedResource {
    const provider = r.provider === undefined ? undefined : labelled.providers.find((p) => p.urn === r.provider);
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        provider,
        inputs: r.inputs,
        outputs: r.outputs,
        protect: r.protect,
        propertyDependencies: r.propertyDependencies ?? {},
    };
}

/** The providers a fragment uses, as resources of the stack (the engine's snapshot holds them too). */
function providerResources(labelled: LabelledFile, c: LabelledCase): AnalyzedResource[] {
    const used = new Set(c.resources.map((r) => r.provider).filter((urn): urn is string => urn !== undefined));
    return labelled.providers
        .filter((p) => used.has(p.urn))
        .map((p) => ({ urn: p.urn, type: p.type, name: p.name, parent: rootStackUrn(parseUrn(p.urn)!.stack), inputs: p.props, protect: false, propertyDependencies: {} }));
}

// ---------------------------------------------------------------------------------------------
// The traps the issue asks for, recognised by what the cases hold rather than by their ids.

const allCases = (set: LabelledFile[]) => set.flatMap((labelled) => labelled.cases);
const expected = (c: LabelledCase, urn: string) => c.expect[urn] ?? [];
const strings = (value: unknown): string[] =>
    typeof value === "string" ? [value] : Array.isArray(value) ? value.flatMap(strings) : value && typeof value === "object" ? Object.values(value).flatMap(strings) : [];
const IPV4 = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])/;
const isJsonHolding = (text: string, pattern: RegExp) => {
    try {
        return typeof JSON.parse(text) === "object" && pattern.test(text);
    } catch {
        return false;
    }
};
const flags = (c: LabelledCase, r: LabelledResource, policy: string) => expected(c, r.urn).includes(policy);
const someResource = (set: LabelledFile[], test: (c: LabelledCase, r: LabelledResource) => boolean) =>
    allCases(set).some((c) => c.resources.some((r) => test(c, r)));
const policyDocumentAllows = (document: unknown, action: string) =>
    typeof document === "string" && (JSON.parse(document) as { Statement: { Effect: string; Action: string | string[] }[] }).Statement.some(
        (s) => s.Effect === "Allow" && [s.Action].flat().includes(action),
    );

const TRAPS: { name: string; present: (set: LabelledFile[]) => boolean }[] = [
    {
        name: "an IP address inside a JSON string flagged by no-hardcoded-ips",
        present: (set) => someResource(set, (c, r) => flags(c, r, "no-hardcoded-ips") && strings(r.inputs).some((s) => isJsonHolding(s, IPV4))),
    },
    {
        name: "the version string 10.20.3 not taken for an address",
        present: (set) => someResource(set, (c, r) => !flags(c, r, "no-hardcoded-ips") && strings(r.inputs).includes("10.20.3")),
    },
    {
        name: "an awsx VPC's NAT EIP exempt from disposable-compute",
        present: (set) => someResource(set, (c, r) => r.type === "aws:ec2/eip:Eip" && r.urn.includes("awsx:ec2:Vpc$") && !flags(c, r, "disposable-compute")),
    },
    {
        name: "a bare EIP flagged by disposable-compute",
        present: (set) => someResource(set, (c, r) => r.type === "aws:ec2/eip:Eip" && !r.urn.includes("awsx:ec2:Vpc") && flags(c, r, "disposable-compute")),
    },
    {
        name: "kms:* in a KMS key policy not flagged by iam-no-wildcard-actions",
        present: (set) => someResource(set, (c, r) => r.type === "aws:kms/key:Key" && policyDocumentAllows(r.inputs.policy, "kms:*") && !flags(c, r, "iam-no-wildcard-actions")),
    },
    {
        name: "sqs:* in a role policy flagged by iam-no-wildcard-actions",
        present: (set) =>
            someResource(set, (c, r) => r.type === "aws:iam/rolePolicy:RolePolicy" && policyDocumentAllows(r.inputs.policy, "sqs:*") && flags(c, r, "iam-no-wildcard-actions")),
    },
    {
        name: "tags only on the provider satisfying required-tags",
        present: (set) =>
            set.some((labelled) =>
                labelled.cases.some((c) =>
                    c.resources.some((r) => {
                        const provider = labelled.providers.find((p) => p.urn === r.provider);
                        return r.inputs.tags === undefined && typeof provider?.props.defaultTags === "string" && c.policies.includes("required-tags") && !flags(c, r, "required-tags");
                    }),
                ),
            ),
    },
    {
        name: "a redrive policy unknown in preview counting as present",
        present: (set) =>
            allCases(set).some(
                (c) => c.kind === "stack" && c.resources.some((r) => r.type === "aws:sqs/queue:Queue" && r.inputs.redrivePolicy === UNKNOWN && !flags(c, r, "sqs-dead-letter-queue-required")),
            ),
    },
    {
        name: "a queue alarm linked only through propertyDependencies",
        present: (set) =>
            allCases(set).some(
                (c) =>
                    c.kind === "stack" &&
                    c.resources.some((alarm) => {
                        const dimensions = alarm.inputs.dimensions as Record<string, unknown> | undefined;
                        if (alarm.type !== "aws:cloudwatch/metricAlarm:MetricAlarm" || alarm.outputs !== undefined || dimensions?.QueueName !== UNKNOWN) {
                            return false;
                        }
                        const queues = (alarm.propertyDependencies.dimensions ?? []).map((urn) => c.resources.find((r) => r.urn === urn));
                        return queues.some((queue) => queue?.type === "aws:sqs/queue:Queue" && !flags(c, queue, "sqs-queue-alarm-required"));
                    }),
            ),
    },
    {
        name: "a dead-letter queue named by a literal ARN in a first preview, recognised as one",
        present: (set) =>
            allCases(set).some(
                (c) =>
                    c.kind === "stack" &&
                    c.resources.some((queue) => {
                        const redrive = queue.inputs.redrivePolicy;
                        const target = typeof redrive === "string" && isJsonHolding(redrive, /deadLetterTargetArn/) ? (JSON.parse(redrive) as { deadLetterTargetArn?: string }).deadLetterTargetArn : undefined;
                        const dlq = c.resources.find((r) => r.type === "aws:sqs/queue:Queue" && r.outputs === undefined && typeof r.inputs.name === "string" && target?.endsWith(`:${r.inputs.name}`));
                        return dlq !== undefined && queue.outputs === undefined && !flags(c, dlq, "sqs-dead-letter-queue-required");
                    }),
            ),
    },
    {
        name: "a relation only in propertyDependencies, behind a known literal that names nothing",
        present: (set) =>
            allCases(set).some((c) =>
                c.resources.some((r) =>
                    Object.entries(r.propertyDependencies).some(([property, urns]) => urns.length > 0 && typeof r.inputs[property] === "string" && r.inputs[property] !== UNKNOWN),
                ),
            ),
    },
    {
        name: "an alarm whose QueueName holds the queue's URL, its queue flagged as unalarmed",
        present: (set) =>
            allCases(set).some((c) =>
                c.resources.some((alarm) => {
                    const queueName = (alarm.inputs.dimensions as Record<string, unknown> | undefined)?.QueueName;
                    const queue = c.resources.find((r) => r.type === "aws:sqs/queue:Queue" && r.outputs?.url === queueName);
                    return queue !== undefined && flags(c, queue, "sqs-queue-alarm-required");
                }),
            ),
    },
];

// ---------------------------------------------------------------------------------------------

/** "<urn>: <policy>" for each violation, and what it said, so a mismatch can be explained. */
function firings(violations: Violation[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const v of violations) {
        found.set(`${v.urn ?? "(no resource)"}: ${v.policyName}`, v.message.split("\n").pop() ?? "");
    }
    return found;
}

describe("the pack judges a labelled set it has never seen (tests/policies/labelled)", function () {
    this.timeout(120_000);
    const set = readLabelledSet();
    let client: PolicyPackClient;
    let info: AnalyzerInfo;

    before(async () => {
        client = await startPolicyPack(PACK_DIRECTORY, { stack: { stack: "dev", project: PROJECT, dryRun: true } });
        info = await client.getAnalyzerInfo();
        await client.configure(resolvePolicyConfig(info));
        await client.configureStack({ stack: "dev", project: PROJECT, dryRun: true });
    });
    after(async () => {
        await client?.close();
    });

    describe("the set", () => {
        it(`holds at least ${MIN_CASES} cases, in the engine's shape, naming only policies of the pack`, () => {
            assert.ok(set.length > 0, "no labelled files");
            const cases = allCases(set);
            assert.ok(cases.length >= MIN_CASES, `${cases.length} cases, fewer than ${MIN_CASES}`);
            assert.deepEqual(set.flatMap(problemsOf), []);
            const ids = cases.map((c) => c.id);
            assert.equal(new Set(ids).size, ids.length, "case ids repeat across files");
        });

        it("keeps every file of the set (and the base pipeline) under 3,000 lines, so each case's point stays visible", () => {
            const files = [...fs.readdirSync(LABELLED_DIRECTORY).filter((file) => file.endsWith(".json")).map((file) => path.join(LABELLED_DIRECTORY, file)), PIPELINE_FILE];
            const lineCounts = files.map((file) => ({ file: path.basename(file), lines: fs.readFileSync(file, "utf8").split("\n").length }));
            assert.deepEqual(lineCounts.filter((count) => count.lines > 3000), []);
        });

        it("has a violating and a compliant case for every policy of policies/policies.ts", () => {
            const gaps: string[] = [];
            for (const name of POLICY_NAMES) {
                const cases = allCases(set);
                if (!cases.some((c) => Object.values(c.expect).some((names) => names.includes(name)))) {
                    gaps.push(`${name}: no case where it must fire`);
                }
                if (!cases.some((c) => c.policies.includes(name) && !Object.values(c.expect).some((names) => names.includes(name)))) {
                    gaps.push(`${name}: no case about it where it must stay quiet`);
                }
            }
            assert.deepEqual(gaps, []);
        });

        it("the cases a policy is about are where it fires", () => {
            const stray: string[] = [];
            for (const c of allCases(set)) {
                for (const names of Object.values(c.expect)) {
                    stray.push(...names.filter((name) => !c.policies.includes(name)).map((name) => `${c.id}: expects ${name} but is not about it`));
                }
            }
            assert.deepEqual(stray, []);
        });

        for (const trap of TRAPS) {
            it(`includes the trap: ${trap.name}`, () => {
                assert.ok(trap.present(set), `no labelled case shows ${trap.name}`);
            });
        }

        it("the shape check can fail", () => {
            const [labelled] = set;
            const broken: LabelledFile = structuredClone(labelled);
            const [first] = broken.cases;
            first.resources[0].urn = first.resources[0].urn.replace("::event-pipeline::", "::event-pipeline::event-pipeline:x:Y$");
            first.expect = { "urn:pulumi:dev::event-pipeline::aws:sqs/queue:Queue::nowhere": ["no-such-policy"] };
            const problems = problemsOf(broken);
            assert.ok(problems.some((p) => /type chain/.test(p)), problems.join("\n"));
            assert.ok(problems.some((p) => /not a resource of the case/.test(p)));
            assert.ok(problems.some((p) => /no-such-policy/.test(p)));
        });
    });

    for (const labelled of set) {
        describe(labelled.file, () => {
            for (const c of labelled.cases) {
                it(`${c.id} (${c.kind})`, async () => {
                    const resources = c.resources.map((r) => analyzed(labelled, r));
                    if (c.config !== undefined) {
                        await client.configure(resolvePolicyConfig(info, parsePolicyConfig(c.config, c.id)));
                    }
                    let violations: Violation[];
                    try {
                        violations = await client.analyzeAll(resources);
                        if (c.kind === "stack") {
                            violations.push(...(await client.analyzeStack([...providerResources(labelled, c), ...resources])));
                        }
                    } finally {
                        if (c.config !== undefined) {
                            await client.configure(resolvePolicyConfig(info));
                        }
                    }
                    const cantRun = violations.filter((v) => /can't run/.test(v.message)).map((v) => `${v.policyName}: ${v.message}`);
                    assert.deepEqual(cantRun, [], "a policy could not run");
                    const levels = violations.filter((v) => v.enforcementLevel !== "mandatory").map((v) => `${v.policyName}: ${v.enforcementLevel}`);
                    assert.deepEqual(levels, [], "violations at a level other than the policies' default");

                    const actual = firings(violations);
                    const wanted = new Set(Object.entries(c.expect).flatMap(([urn, names]) => names.map((name) => `${urn}: ${name}`)));
                    const mismatches = [
                        ...[...wanted].filter((key) => !actual.has(key)).map((key) => `missing    ${key}`),
                        ...[...actual].filter(([key]) => !wanted.has(key)).map(([key, message]) => `unexpected ${key}\n             ${message}`),
                    ];
                    assert.ok(mismatches.length === 0, `${c.note}\n  ${mismatches.join("\n  ")}`);
                });
            }
        });
    }
});
