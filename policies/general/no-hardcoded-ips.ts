import { ResourceValidationPolicy } from "@pulumi/policy";
import { findIpLiterals, IpLiteral, isWithin, parseCidr } from "../lib/ip-literals";
import { isRecord, isUnknown, plainProps } from "../lib/values";

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
        // Stryker disable next-line ArrayDeclaration: any entry in place of the empty fallback is text that is not a CIDR, which the filter drops
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

/** "Everywhere" and the unspecified bind address name no host. */
function isAlwaysAllowed(literal: IpLiteral): boolean {
    return (
        literal.literal === "0.0.0.0/0" ||
        // Stryker disable next-line ConditionalExpression,StringLiteral: findIpLiterals never reports ::/0 (a candidate needs a hex digit), so this test cannot tell
        literal.literal === "::/0" ||
        literal.literal === "0.0.0.0"
    );
}

const MAX_DEPTH = 32;

/** Every known string under `value`, with its property path; JSON strings are read as the data they hold. */
function* stringsIn(value: unknown, path: string, depth: number): Generator<{ path: string; text: string }> {
    if (
        depth > MAX_DEPTH ||
        // Stryker disable next-line ConditionalExpression: null, undefined and the unknown sentinel yield nothing below either (the sentinel holds no address)
        value === null || value === undefined || isUnknown(value)
    ) {
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
        // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which yields nothing
        for (let i = 0; i < value.length; i++) {
            yield* stringsIn(value[i], `${path}[${i}]`, depth + 1);
        }
        return;
    }
    // Stryker disable next-line ConditionalExpression: what is left are numbers and booleans, whose entries are none
    if (isRecord(value)) {
        for (const [key, child] of Object.entries(value)) {
            yield* stringsIn(child, `${path}.${key}`, depth + 1);
        }
    }
}

/** The object or array a JSON string holds (policy documents, container definitions), else undefined. */
function jsonContainer(text: string): unknown {
    const trimmed = text.trim();
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,BlockStatement: a shortcut; other JSON text parses to a scalar, which is searched as text below as well
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(trimmed);
        // Stryker disable next-line ConditionalExpression,LogicalOperator: text that starts with { or [ parses to an object or an array, never to null or a scalar
        return parsed !== null && typeof parsed === "object" ? parsed : undefined;
    } catch {
        return undefined;
    }
}
