/**
 * Synthetic stacks of any size, cloned from what the real program records.
 *
 * The template is one run of `index.ts` under the mock runtime (`tools/mock-runtime.ts`) with the
 * stack's config, its consumers replaced by one Lambda consumer named `bench-template` (the
 * stack's first Lambda consumer, renamed). That run splits into
 * - the consumer: its `ConsumerQueue` and `QueueFunction` components and everything under them
 *   (queue, dead-letter queue, two queue policies, subscription, queue and function alarms,
 *   function, mapping, log group, role, role policy), and
 * - the shared part: provider, event topic, alarm topic, dashboard.
 * A stack of n consumers is the shared part plus n copies of the consumer, each with the template
 * name replaced by `consumer-00001`…: in URNs (so parent type chains stay as recorded), physical
 * names, ARNs, URLs, JSON policy documents, alarm dimensions and property dependencies. Shared
 * resources that list every consumer (the dashboard's widgets, its property dependencies) get one
 * entry per consumer, as the program builds them. Nothing is written by hand, so when a component
 * changes what it registers, the synthetic stacks change with it.
 *
 * The physical names' random-looking suffixes (`-d8728d4`) are the template's in every copy: the
 * names still differ by their prefix, and no policy reads the suffix.
 */
import { ProgramRun, RecordedResource, runProgram } from "../mock-runtime";
import { THIS_PROJECT_NAME, THIS_PROJECT_ROOT } from "../project";
import { readStackConfig } from "../stack-files";

export const TEMPLATE_CONSUMER = "bench-template";

/** The components a consumer of kind `lambda` is built from (`index.ts`). */
const CONSUMER_COMPONENT_TYPES = ["event-pipeline:messaging:ConsumerQueue", "event-pipeline:compute:QueueFunction"] as const;

export interface StackTemplate {
    stack: string;
    /** Recorded as in the first preview of a new stack (computed outputs unknown) or after an update. */
    preview: boolean;
    /** Registered once per stack, in registration order. */
    shared: RecordedResource[];
    /** One consumer's resources, named after `TEMPLATE_CONSUMER`, in registration order. */
    consumer: RecordedResource[];
}

export interface TemplateOptions {
    /** The stack file whose config the program runs with (default `dev`). */
    stack?: string;
    preview?: boolean;
}

interface ConsumerConfig {
    name: string;
    kind: string;
    [key: string]: unknown;
}

/** Runs the program once with a single Lambda consumer and splits what it registers. */
export async function recordTemplate(options: TemplateOptions = {}): Promise<StackTemplate> {
    const stack = options.stack ?? "dev";
    const preview = options.preview ?? false;
    const { config, secretKeys } = readStackConfig(THIS_PROJECT_ROOT, stack);
    const consumersKey = `${THIS_PROJECT_NAME}:consumers`;
    const consumers = JSON.parse(config[consumersKey] ?? "[]") as ConsumerConfig[];
    const lambda = consumers.find((c) => c.kind === "lambda") ?? { name: TEMPLATE_CONSUMER, kind: "lambda" };
    // One Lambda consumer and nothing else: no ECS worker means no network and no worker image,
    // exactly what the program builds for a Lambda-only stack.
    const templateConfig = { ...config, [consumersKey]: JSON.stringify([{ ...lambda, name: TEMPLATE_CONSUMER }]) };
    const run = await runProgram({ stack, config: templateConfig, secretKeys, preview });
    return splitTemplate(run);
}

/** Splits a run with one consumer named `TEMPLATE_CONSUMER` into the shared part and the consumer. */
export function splitTemplate(run: ProgramRun): StackTemplate {
    const roots = run.resources.filter(
        (r) => r.name === TEMPLATE_CONSUMER && (CONSUMER_COMPONENT_TYPES as readonly string[]).includes(r.type),
    );
    if (roots.length !== CONSUMER_COMPONENT_TYPES.length) {
        throw new Error(
            `the template run registered ${roots.map((r) => r.type).join(", ") || "no consumer components"} for ${TEMPLATE_CONSUMER}; ` +
                `expected ${CONSUMER_COMPONENT_TYPES.join(" and ")}`,
        );
    }
    const inConsumer = new Set(roots.map((r) => r.urn));
    // Registration order puts a parent before its children, but one pass over a fixed point is
    // cheap and does not depend on it.
    for (let grew = true; grew; ) {
        grew = false;
        for (const r of run.resources) {
            if (r.parent && inConsumer.has(r.parent) && !inConsumer.has(r.urn)) {
                inConsumer.add(r.urn);
                grew = true;
            }
        }
    }
    return {
        stack: run.stack,
        preview: run.preview,
        shared: run.resources.filter((r) => !inConsumer.has(r.urn)),
        consumer: run.resources.filter((r) => inConsumer.has(r.urn)),
    };
}

/** `consumer-00001`, …: kebab-case like real consumer names, fixed width so no name is a prefix of another. */
export function consumerName(index: number): string {
    return `consumer-${String(index + 1).padStart(5, "0")}`;
}

/** How many consumers make a stack of about `resources` resources. */
export function consumersFor(template: StackTemplate, resources: number): number {
    return Math.max(1, Math.round((resources - template.shared.length) / template.consumer.length));
}

function renamed<T>(value: T, name: string): T {
    // The template name is plain kebab-case and the new name too: no JSON escaping is involved.
    return JSON.parse(JSON.stringify(value).split(TEMPLATE_CONSUMER).join(name)) as T;
}

function mentionsTemplate(value: unknown): boolean {
    return JSON.stringify(value).includes(TEMPLATE_CONSUMER);
}

function parseJsonContainer(text: string): unknown {
    if (!/^\s*[[{]/.test(text)) {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/**
 * A shared value with every list entry about the template consumer repeated once per consumer
 * (inside JSON documents held in strings too, e.g. the dashboard body). A template mention outside
 * any list has no per-consumer form: that means the program changed, so say so.
 */
function expandPerConsumer(value: unknown, names: readonly string[], where: string): unknown {
    if (Array.isArray(value)) {
        return value.flatMap((entry) => (mentionsTemplate(entry) ? names.map((name) => renamed(entry, name)) : [expandPerConsumer(entry, names, where)]));
    }
    if (typeof value === "string") {
        if (!value.includes(TEMPLATE_CONSUMER)) {
            return value;
        }
        const document = parseJsonContainer(value);
        if (document !== undefined) {
            return JSON.stringify(expandPerConsumer(document, names, where));
        }
        throw new Error(`${where}: ${JSON.stringify(value.slice(0, 120))} names the template consumer outside a list; cannot expand it per consumer`);
    }
    if (value !== null && typeof value === "object") {
        const result: Record<string, unknown> = {};
        for (const [key, entry] of Object.entries(value)) {
            if (key.includes(TEMPLATE_CONSUMER)) {
                throw new Error(`${where}: the key ${JSON.stringify(key)} names the template consumer; cannot expand it per consumer`);
            }
            result[key] = expandPerConsumer(entry, names, `${where}.${key}`);
        }
        return result;
    }
    return value;
}

/**
 * The shared part plus `consumers` copies of the consumer, in the order the program registers
 * them (shared resources first, then each consumer's). Every value is a fresh copy.
 */
export function generateStack(template: StackTemplate, consumers: number): RecordedResource[] {
    const names = Array.from({ length: consumers }, (_, i) => consumerName(i));
    const shared = template.shared.map((r) =>
        mentionsTemplate(r) ? (expandPerConsumer(r, names, r.urn) as RecordedResource) : (JSON.parse(JSON.stringify(r)) as RecordedResource),
    );
    // One serialization of the consumer, renamed per copy.
    const consumerText = JSON.stringify(template.consumer);
    const copies = names.flatMap((name) => JSON.parse(consumerText.split(TEMPLATE_CONSUMER).join(name)) as RecordedResource[]);
    return [...shared, ...copies];
}
