/**
 * What each configured exemption did in a check. The pack drops an exempted violation without a
 * trace (as it does under the CLI), so the check judges twice when any exemption is configured:
 * once with the config as given — the verdict, exactly what `pulumi preview --policy-pack` would
 * say — and once with every `exemptions` list removed. The violations only the second judgement
 * reports are those the pack silenced; each is attributed to the exemptions that cover it, with
 * the same matching the pack uses (policies/lib/exemptions.ts).
 */
import { daysLeft, exemptionsOf, EXEMPTIONS_PROPERTY, isExpired, matchesResource } from "../../policies/lib/exemptions";
import type { PolicyConfigMap, Violation } from "../analyzer";

export type ExemptionStatus = "applied" | "expired" | "unused";

export interface ExemptionReport {
    policy: string;
    resource: string;
    reason: string;
    expires: string;
    /** `applied`: it silenced at least one violation; `expired`: past its day, silences nothing; `unused`: matches no violation. */
    status: ExemptionStatus;
    /** The URNs whose violations it silenced, sorted. */
    urns: string[];
    /** The violations it silenced. */
    silenced: Violation[];
    /** Days from today to its last day (negative once expired). */
    daysLeft: number;
}

/** Days before its last day from which an applied exemption is flagged. */
export const EXPIRY_WARNING_DAYS = 14;

/** True when `config` gives any policy an exemption, so that a second judgement is worth making. */
export function hasExemptions(config: PolicyConfigMap): boolean {
    return Object.values(config).some((policy) => exemptionsOf(policy.properties).length > 0);
}

/** `config` with every policy's `exemptions` removed. */
export function withoutExemptions(config: PolicyConfigMap): PolicyConfigMap {
    return Object.fromEntries(
        Object.entries(config).map(([name, { enforcementLevel, properties }]) => {
            const rest = { ...properties };
            delete rest[EXEMPTIONS_PROPERTY];
            return [name, { enforcementLevel, properties: rest }];
        }),
    );
}

function violationKey(v: Violation): string {
    return `${v.policyName}\u0000${v.urn ?? ""}\u0000${v.message}`;
}

/** The violations in `without` that `verdict` lacks (a multiset difference). */
export function silencedViolations(verdict: readonly Violation[], without: readonly Violation[]): Violation[] {
    const remaining = new Map<string, number>();
    for (const v of verdict) {
        remaining.set(violationKey(v), (remaining.get(violationKey(v)) ?? 0) + 1);
    }
    const silenced: Violation[] = [];
    for (const v of without) {
        const left = remaining.get(violationKey(v)) ?? 0;
        if (left > 0) {
            remaining.set(violationKey(v), left - 1);
        } else {
            silenced.push(v);
        }
    }
    return silenced;
}

/**
 * Every exemption in `config`, in the pack's policy order, with what it silenced among `silenced`
 * (the violations the pack dropped). Fails when the pack dropped a violation no exemption in force
 * covers: the pack and the check would then disagree, which must not pass unnoticed.
 */
export function exemptionReports(policyOrder: readonly string[], config: PolicyConfigMap, silenced: readonly Violation[], today: string): ExemptionReport[] {
    const reports: ExemptionReport[] = [];
    const explained = new Set<Violation>();
    const names = [...policyOrder, ...Object.keys(config).filter((name) => !policyOrder.includes(name))];
    for (const policy of names) {
        for (const exemption of exemptionsOf(config[policy]?.properties)) {
            const expired = isExpired(exemption, today);
            const covered = expired ? [] : silenced.filter((v) => v.policyName === policy && v.urn !== undefined && matchesResource(exemption.resource, v.urn));
            covered.forEach((v) => explained.add(v));
            reports.push({
                policy,
                ...exemption,
                status: expired ? "expired" : covered.length > 0 ? "applied" : "unused",
                urns: [...new Set(covered.map((v) => v.urn!))].sort(),
                silenced: covered,
                daysLeft: daysLeft(exemption, today),
            });
        }
    }
    const unexplained = silenced.filter((v) => !explained.has(v));
    if (unexplained.length > 0) {
        throw new Error(
            `the policy pack silenced violations no exemption in force covers (${unexplained.map((v) => `${v.policyName} ${v.urn ?? "(stack)"}`).join(", ")}): ` +
                "the pack and the check disagree on exemptions (was the pack built from other sources? run npm run build:policies)",
        );
    }
    return reports;
}

/** Applied exemptions whose last day is at most `EXPIRY_WARNING_DAYS` away. */
export function expiringSoon(reports: readonly ExemptionReport[]): ExemptionReport[] {
    return reports.filter((r) => r.status === "applied" && r.daysLeft <= EXPIRY_WARNING_DAYS);
}
