/**
 * The check's fixed monthly cost: the pack's own estimator (`policies/lib/fixed-cost.ts`, the one
 * the `stack-fixed-cost-budget` policy runs) over the recorded resources as `AnalyzeStack` hands
 * them to a stack policy, so the summary and the budget never disagree; then its `--json` form and
 * its lines of the text summary.
 */
import type { PolicyResource } from "@pulumi/policy";
import { CostBasis, CostItem, EstimatedItem, estimateFixedCost, FixedCostEstimate, formatUsd } from "../../policies/lib/fixed-cost";
import { money } from "../../policies/lib/prices";
import { StackIndex } from "../../policies/lib/stack";
import type { RecordedResource } from "../mock-runtime";
import { toAnalyzedResources } from "./judge";

/** The `cost` of `--json`: exactly these keys, items exactly `CostItem`'s. */
export interface CostReport {
    currency: "USD";
    monthly: number;
    items: CostItem[];
    unpriced: string[];
}

/**
 * The resources as the policy server builds them for a stack policy from `AnalyzeStack`: outputs as
 * props (inputs when there are none), the provider's props, parent and property dependencies
 * linked by URN.
 */
export function asStackPolicySees(recorded: readonly RecordedResource[]): PolicyResource[] {
    const analyzed = toAnalyzedResources([...recorded]);
    const byUrn = new Map<string, PolicyResource>();
    const resources = analyzed.map((r) => {
        const resource = {
            type: r.type,
            urn: r.urn,
            name: r.name,
            props: r.outputs ?? r.inputs,
            opts: { protect: r.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
            provider: r.provider,
            dependencies: [],
            propertyDependencies: {},
        } as unknown as PolicyResource;
        byUrn.set(r.urn, resource);
        return resource;
    });
    analyzed.forEach((r, i) => {
        const resource = resources[i];
        resource.parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
        for (const [property, urns] of Object.entries(r.propertyDependencies)) {
            const dependencies = urns.map((urn) => byUrn.get(urn)).filter((d): d is PolicyResource => d !== undefined);
            if (dependencies.length > 0) {
                resource.propertyDependencies[property] = dependencies;
            }
        }
    });
    return resources;
}

/** The fixed monthly cost of the recorded resources. */
export function estimateRecorded(recorded: readonly RecordedResource[]): FixedCostEstimate {
    return estimateFixedCost(StackIndex.of(asStackPolicySees(recorded)));
}

/** `--json`'s `cost`: the amounts exact, the order the estimate's (stable across runs). */
export function costReport(estimate: FixedCostEstimate): CostReport {
    return {
        currency: estimate.currency,
        monthly: estimate.monthly,
        items: estimate.items.map(({ urn, type, description, quantity, unit, unitPrice, monthly }) => ({ urn, type, description, quantity, unit, unitPrice, monthly })),
        unpriced: estimate.unpriced,
    };
}

/** The resource's name, read from its URN. */
function nameOf(urn: string): string {
    return urn.split("::").slice(3).join("::") || urn;
}

/** "3 NAT gateways", "1 vCPU", "2 GB". */
function counted(quantity: number, unit: string): string {
    const amount = Number.isInteger(quantity) ? String(quantity) : String(Number(quantity.toFixed(4)));
    const plural = quantity === 1 || /^(GB|RCU|WCU)$/.test(unit) ? unit : unit.endsWith("s") ? `${unit}es` : `${unit}s`;
    return `${amount} ${plural}`;
}

/** Items of one type at one unit price are shown as one line from this many on (the JSON keeps each). */
const GROUPED_FROM = 4;

interface Line {
    monthly: number;
    who: string;
    what: string;
    description: string;
}

/** The priced lines, largest first: each item, or one line for many alike (alarms). */
function pricedLines(items: EstimatedItem[]): Line[] {
    const groups = new Map<string, EstimatedItem[]>();
    for (const item of items) {
        const key = `${item.type}\u0000${item.unit}\u0000${item.unitPrice}`;
        groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const lines: Line[] = [];
    for (const group of groups.values()) {
        if (group.length < GROUPED_FROM) {
            lines.push(...group.map((item) => ({ monthly: item.monthly, who: nameOf(item.urn), what: `${counted(item.quantity, item.unit)} × ${formatUsd(item.unitPrice)}`, description: item.description })));
            continue;
        }
        const [first] = group;
        const quantity = money(group.reduce((sum, item) => sum + item.quantity, 0));
        lines.push({
            monthly: money(group.reduce((sum, item) => sum + item.monthly, 0)),
            who: `${group.length} resources`,
            what: `${counted(quantity, first.unit)} × ${formatUsd(first.unitPrice)}`,
            description: `${group.length} × ${first.type}`,
        });
    }
    return lines.sort((a, b) => b.monthly - a.monthly || (a.who < b.who ? -1 : a.who > b.who ? 1 : 0));
}

/** The $0 resources of `basis`, counted by type. */
function zeroByType(items: EstimatedItem[], basis: CostBasis): string[] {
    const counts = new Map<string, number>();
    for (const item of items.filter((i) => i.basis === basis && i.monthly === 0)) {
        counts.set(item.type, (counts.get(item.type) ?? 0) + 1);
    }
    return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([type, count]) => `${count} × ${type}`);
}

/** The summary's last section: priced items, largest first, the $0 resources by type, what is not priced, the total. */
export function costLines(estimate: FixedCostEstimate): string[] {
    const regions = estimate.regions.length > 0 ? estimate.regions.join(", ") : "us-east-1";
    const lines = [`Fixed monthly cost, before any traffic (list prices in USD, ${regions}; free tiers are per account and not deducted):`];
    const fixed = estimate.items.filter((item) => item.basis === "fixed" && (item.monthly > 0 || item.description.includes("lower bound")));
    const priced = pricedLines(fixed);
    const width = (pick: (line: Line) => string) => Math.min(40, Math.max(0, ...priced.map((line) => pick(line).length)));
    const [amountWidth, whoWidth, whatWidth] = [width((l) => formatUsd(l.monthly)), width((l) => l.who), width((l) => l.what)];
    for (const line of priced) {
        lines.push(`  ${formatUsd(line.monthly).padStart(amountWidth)}  ${line.who.padEnd(whoWidth)}  ${line.what.padEnd(whatWidth)}  ${line.description}`);
    }
    if (priced.length === 0) {
        lines.push("  nothing with a fixed charge");
    }
    const usage = zeroByType(estimate.items, "usage");
    if (usage.length > 0) {
        lines.push(`  $0 fixed, priced by use (requests, duration, storage, data): ${usage.join(", ")}`);
    }
    const free = zeroByType(estimate.items, "free");
    if (free.length > 0) {
        lines.push(`  $0, no charge: ${free.join(", ")}`);
    }
    if (estimate.unpriced.length > 0) {
        lines.push(`  not priced (no price data, not in the total): ${estimate.unpriced.join(", ")}`);
    }
    for (const note of estimate.notes) {
        lines.push(`  note: ${note}`);
    }
    lines.push(`  total ${formatUsd(estimate.monthly)} a month`);
    return lines;
}
