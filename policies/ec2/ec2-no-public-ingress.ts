import { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, isRecord, isUnknown, knownNumber, knownString, plainProps, PlainRecord } from "../lib/values";

export interface Ec2NoPublicIngressArgs {
    /** Ports that may be open to the whole internet, e.g. `[443]` for a public load balancer. */
    allowedPublicPorts?: number[];
}

/**
 * Compliant: no ingress rule — a security group's inline `ingress`, an `aws:ec2/securityGroupRule`
 * of type `ingress`, an `aws:vpc/securityGroupIngressRule` — admits `0.0.0.0/0` or `::/0`,
 * except on ports listed in config `allowedPublicPorts`. Egress is not judged.
 */
export const ec2NoPublicIngress: ResourceValidationPolicy = {
    name: "ec2-no-public-ingress",
    description:
        "Ingress from 0.0.0.0/0 or ::/0 exposes a port to every scanner on the internet; workers of an event pipeline need " +
        "no inbound traffic at all, and public endpoints belong behind a load balancer on the ports chosen for them.\n" +
        "AWS documentation: https://docs.aws.amazon.com/config/latest/developerguide/vpc-sg-open-only-to-authorized-ports.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedPublicPorts: { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, default: [] },
        },
    },
    validateResource: (args, reportViolation) => {
        const rules = ingressRules(args.type, plainProps(args.props));
        if (rules === undefined) {
            return args.notApplicable("Only security groups and their ingress rules carry ingress.");
        }
        const { allowedPublicPorts } = args.getConfig<Ec2NoPublicIngressArgs>();
        const allowedPorts = new Set(asArray(allowedPublicPorts).map(knownNumber).filter((p): p is number => p !== undefined));
        for (const rule of rules) {
            const publicSources = rule.sources.map(knownString).filter((s): s is string => s !== undefined && isEverywhere(s));
            if (publicSources.length === 0) {
                continue;
            }
            const ports = portRange(rule);
            if (allowedPorts.size > 0 && (ports === "unknown" || coversOnly(ports, allowedPorts))) {
                continue;
            }
            reportViolation(
                `${rule.label} allows ${describePorts(ports)} from ${publicSources.join(" and ")}, the whole internet. Limit the source to ` +
                    "known CIDR blocks, a security group or a prefix list (put public endpoints behind a load balancer), or, if this " +
                    "port must be public, add it to this policy's allowedPublicPorts.",
            );
        }
    },
};

interface IngressRule {
    label: string;
    protocol: unknown;
    fromPort: unknown;
    toPort: unknown;
    sources: unknown[];
}

/** The ingress rules a resource declares, or undefined for a type that declares none. */
function ingressRules(type: string, props: PlainRecord): IngressRule[] | undefined {
    switch (type) {
        case "aws:ec2/securityGroup:SecurityGroup":
        case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
            return asArray(props.ingress)
                .map((rule, i) => ({ rule, i }))
                .filter((entry): entry is { rule: PlainRecord; i: number } => isRecord(entry.rule))
                .map(({ rule, i }) => ({
                    label: `Security group ingress[${i}]`,
                    protocol: rule.protocol,
                    fromPort: rule.fromPort,
                    toPort: rule.toPort,
                    sources: [...asArray(rule.cidrBlocks), ...asArray(rule.ipv6CidrBlocks)],
                }));
        case "aws:ec2/securityGroupRule:SecurityGroupRule":
            // An unknown `type` may be egress: unknown values never cause a violation.
            return knownString(props.type)?.toLowerCase() !== "ingress"
                ? []
                : [
                      {
                          label: "Security group rule",
                          protocol: props.protocol,
                          fromPort: props.fromPort,
                          toPort: props.toPort,
                          sources: [...asArray(props.cidrBlocks), ...asArray(props.ipv6CidrBlocks)],
                      },
                  ];
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            return [
                {
                    label: "Security group ingress rule",
                    protocol: props.ipProtocol,
                    fromPort: props.fromPort,
                    toPort: props.toPort,
                    sources: [props.cidrIpv4, props.cidrIpv6],
                },
            ];
        default:
            return undefined;
    }
}

function isEverywhere(cidr: string): boolean {
    const trimmed = cidr.trim();
    return trimmed === "0.0.0.0/0" || trimmed === "::/0";
}

type PortRange = { protocol: string; from: number; to: number } | "unknown";

const ALL_PORTS = { from: 0, to: 65535 };

/**
 * The ports a rule opens. Protocol `-1`/`all` opens every port; for protocols without ports (ICMP
 * and others) `fromPort`/`toPort` are types and codes, so such a rule counts as opening everything
 * and only an allow-list of every port would admit it.
 */
function portRange(rule: IngressRule): PortRange {
    if (isUnknown(rule.protocol)) {
        return "unknown";
    }
    const protocol = String(knownString(rule.protocol) ?? knownNumber(rule.protocol) ?? "").trim().toLowerCase();
    if (protocol === "-1" || protocol === "all") {
        return { protocol: "all traffic", ...ALL_PORTS };
    }
    if (!["tcp", "udp", "6", "17"].includes(protocol)) {
        return { protocol: protocol || "any protocol", ...ALL_PORTS };
    }
    if (isUnknown(rule.fromPort) || isUnknown(rule.toPort)) {
        return "unknown";
    }
    const from = knownNumber(rule.fromPort);
    const to = knownNumber(rule.toPort);
    if (from === undefined || to === undefined || from < 0 || to < 0) {
        return { protocol, ...ALL_PORTS };
    }
    return { protocol, from: Math.min(from, to), to: Math.max(from, to) };
}

function coversOnly(range: Exclude<PortRange, "unknown">, allowed: ReadonlySet<number>): boolean {
    // The first port outside the list ends the loop: it never runs through a range wider than the list.
    for (let port = range.from; port <= range.to; port++) {
        if (!allowed.has(port)) {
            return false;
        }
    }
    return true;
}

function describePorts(range: PortRange): string {
    if (range === "unknown") {
        return "ingress";
    }
    if (range.from === ALL_PORTS.from && range.to === ALL_PORTS.to) {
        return `${range.protocol} on every port`;
    }
    return range.from === range.to ? `${range.protocol} port ${range.from}` : `${range.protocol} ports ${range.from}-${range.to}`;
}
