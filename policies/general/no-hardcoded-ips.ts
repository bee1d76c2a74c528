import { ResourceValidationPolicy } from "@pulumi/policy";
import { findIpLiterals, IpLiteral, isWithin, parseCidr } from "../lib/ip-literals";
import { plainProps, PlainRecord } from "../lib/values";

export interface NoHardcodedIpsArgs {
    /** CIDR blocks or addresses whose literals are allowed anywhere (e.g. a partner's fixed range). */
    allowedCidrs?: string[];
}

/**
 * Compliant: no string input — nested objects, arrays and JSON strings included — holds an IPv4 or
 * IPv6 address literal, other than "everywhere" (`0.0.0.0/0`, `::/0`), the unspecified bind
 * address `0.0.0.0`, the CIDR blocks of VPCs and subnets, and config `allowedCidrs`.
 */
export const noHardcodedIps: ResourceValidationPolicy = {
    name: "no-hardcoded-ips",
    description:
        "Hard-coded IP addresses tie a stack to one network: they go stale when a VPC, load balancer or database is rebuilt, " +
        "and they break every other environment. Refer to the resource that owns the address instead.\n" +
        "AWS documentation: https://docs.aws.amazon.com/cloud-map/latest/dg/what-is-cloud-map.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedCidrs: { type: "array", items: { type: "string" }, default: [] },
        },
    },
    validateResource: (args, reportViolation) => {
        const { allowedCidrs } = args.getConfig<NoHardcodedIpsArgs>();
        // Stryker disable next-line ArrayDeclaration: an entry in place of the empty fallback is text that is no CIDR, which the filter drops
        const allowed = (Array.isArray(allowedCidrs) ? allowedCidrs : [])
            .map((cidr) => (typeof cidr === "string" ? parseCidr(cidr) : undefined))
            .filter((cidr): cidr is IpLiteral => cidr !== undefined);
        const addressingProperties = ADDRESSING_PROPERTIES[args.type] ?? new Set<string>();
        const reported = new Set<string>();
        for (const [property, value] of Object.entries(plainProps(args.props))) {
            if (addressingProperties.has(property)) {
                continue;
            }
            for (const { path, text } of stringsIn(value, property, 0)) {
                for (const literal of findIpLiterals(text)) {
                    const key = `${path}\u0000${literal.literal}`;
                    if (isAlwaysAllowed(literal) || allowed.some((cidr) => isWithin(literal, cidr)) || reported.has(key)) {
                        continue;
                    }
                    reported.add(key);
                    reportViolation(
                        `Property '${path}' holds the IP address literal '${literal.literal}'. Refer to the resource that owns the ` +
                            "address instead (its output, a DNS or service-discovery name, a security group or a prefix list); if this " +
                            "range is fixed on purpose, add it to this policy's allowedCidrs.",
                    );
                }
            }
        }
    },
};

/** Where a CIDR block is the point of the resource: it defines the network rather than pointing into it. */
const ADDRESSING_PROPERTIES: Record<string, ReadonlySet<string>> = {
    "aws:ec2/vpc:Vpc": new Set(["cidrBlock", "ipv6CidrBlock"]),
    "aws:ec2/subnet:Subnet": new Set(["cidrBlock", "ipv6CidrBlock"]),
    "aws:ec2/defaultVpc:DefaultVpc": new Set(["cidrBlock", "ipv6CidrBlock"]),
    "aws:ec2/defaultSubnet:DefaultSubnet": new Set(["cidrBlock", "ipv6CidrBlock"]),
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": new Set(["cidrBlock"]),
    "aws:ec2/vpcIpv6CidrBlockAssociation:VpcIpv6CidrBlockAssociation": new Set(["ipv6CidrBlock"]),
    "awsx:ec2:Vpc": new Set(["cidrBlock", "subnetSpecs"]),
};

/** "Everywhere" and the unspecified bind address name no host (`::/0` is never reported: a candidate needs a hex digit). */
function isAlwaysAllowed(literal: IpLiteral): boolean {
    return literal.literal === "0.0.0.0/0" || literal.literal === "0.0.0.0";
}

const MAX_DEPTH = 32;

/** Every known string under `value`, with its property path; JSON strings are read as the data they hold. */
function* stringsIn(value: unknown, path: string, depth: number): Generator<{ path: string; text: string }> {
    // null, undefined and numbers yield nothing below; the unknown sentinel is text that holds no address.
    if (depth > MAX_DEPTH) {
        return;
    }
    if (typeof value === "string") {
        const json = jsonContainer(value);
        if (json === undefined) {
            yield { path, text: value };
        } else {
            yield* stringsIn(json, path, depth + 1);
        }
        return;
    }
    if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) {
            yield* stringsIn(item, `${path}[${i}]`, depth + 1);
        }
        return;
    }
    for (const [key, child] of Object.entries((value ?? {}) as PlainRecord)) {
        yield* stringsIn(child, `${path}.${key}`, depth + 1);
    }
}

/** The object or array a JSON string holds (policy documents, container definitions), else undefined. */
function jsonContainer(text: string): unknown {
    const trimmed = text.trim();
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,BlockStatement: only spares parsing every string; a JSON scalar is searched either way
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
        return undefined;
    }
    try {
        return JSON.parse(trimmed) as unknown;
    } catch {
        return undefined;
    }
}
