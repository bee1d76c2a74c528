/**
 * What the mock runtime answers to the provider functions (invokes) programs commonly call, with
 * plausible values for the stack's region and the mock account: who am I, which region and
 * partition, its availability zones, an AMI, the default VPC and its subnets, and IAM policy
 * documents rendered as the AWS provider renders them. Any other invoke returns its inputs.
 */
import { createHash } from "node:crypto";
import { renderPolicyDocument, PolicyDocumentArgs } from "./iam-policy-document";

export const MOCK_ACCOUNT_ID = "123456789012";

export interface InvokeContext {
    /** The region of the invoke's provider (or the stack's). */
    region: string;
}

function hex(text: string, length: number): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
    if (region.startsWith("cn-")) {
        return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" };
    }
    if (region.startsWith("us-gov-")) {
        return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    }
    return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

const DIRECTIONS: Readonly<Record<string, string>> = {
    east: "e",
    west: "w",
    north: "n",
    south: "s",
    central: "c",
    northeast: "ne",
    northwest: "nw",
    southeast: "se",
    southwest: "sw",
};

/** AWS's zone-ID prefix of a region: us-east-1 → use1, ap-southeast-2 → apse2. */
function zoneIdPrefix(region: string): string {
    const parts = region.split("-");
    const number = parts.pop() ?? "1";
    const [area, ...rest] = parts.filter((part) => part !== "gov");
    return `${area ?? "x"}${rest.map((part) => DIRECTIONS[part] ?? part.charAt(0)).join("")}${number}`;
}

function availabilityZones(region: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const excluded = new Set([...asStrings(inputs.excludeNames), ...asStrings(inputs.excludeZoneIds)]);
    const zones = ["a", "b", "c"]
        .map((letter, i) => ({ name: `${region}${letter}`, zoneId: `${zoneIdPrefix(region)}-az${i + 1}` }))
        .filter((zone) => !excluded.has(zone.name) && !excluded.has(zone.zoneId));
    return {
        ...inputs,
        id: region,
        region,
        names: zones.map((zone) => zone.name),
        zoneIds: zones.map((zone) => zone.zoneId),
        groupNames: [region],
    };
}

function asStrings(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The value of the first filter named `name`, if any. */
function filterValue(inputs: Record<string, unknown>, name: string): string | undefined {
    const filters = Array.isArray(inputs.filters) ? (inputs.filters as { name?: unknown; values?: unknown }[]) : [];
    return asStrings(filters.find((filter) => filter?.name === name)?.values)[0];
}

function ami(region: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const imageId = `ami-0${hex(`${region}:${JSON.stringify(inputs)}`, 16)}`;
    const name = (filterValue(inputs, "name") ?? "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64").replaceAll("*", "0");
    const owner = asStrings(inputs.owners).find((o) => /^\d{12}$/.test(o)) ?? "137112412989";
    return {
        ...inputs,
        id: imageId,
        imageId,
        arn: `arn:aws:ec2:${region}::image/${imageId}`,
        name,
        description: name,
        architecture: filterValue(inputs, "architecture") ?? "x86_64",
        ownerId: owner,
        imageOwnerAlias: owner === "137112412989" ? "amazon" : "",
        imageLocation: `${owner === "137112412989" ? "amazon" : owner}/${name}`,
        imageType: "machine",
        platformDetails: "Linux/UNIX",
        rootDeviceName: "/dev/xvda",
        rootDeviceType: "ebs",
        virtualizationType: filterValue(inputs, "virtualization-type") ?? "hvm",
        hypervisor: "xen",
        enaSupport: true,
        public: true,
        state: "available",
        creationDate: "2024-12-12T00:00:00.000Z",
        bootMode: "uefi-preferred",
        blockDeviceMappings: [],
        productCodes: [],
        tags: {},
        region,
    };
}

function defaultVpcId(region: string): string {
    return `vpc-0${hex(`default-vpc:${region}`, 16)}`;
}

function vpc(region: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const id = typeof inputs.id === "string" ? inputs.id : defaultVpcId(region);
    return {
        ...inputs,
        id,
        arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc/${id}`,
        cidrBlock: "172.31.0.0/16",
        cidrBlockAssociations: [{ associationId: `vpc-cidr-assoc-0${hex(id, 16)}`, cidrBlock: "172.31.0.0/16", state: "associated" }],
        default: true,
        dhcpOptionsId: `dopt-0${hex(`dopt:${id}`, 16)}`,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        enableNetworkAddressUsageMetrics: false,
        instanceTenancy: "default",
        ipv6AssociationId: "",
        ipv6CidrBlock: "",
        ipv6CidrBlockAssociations: [],
        mainRouteTableId: `rtb-0${hex(`rtb:${id}`, 16)}`,
        ownerId: MOCK_ACCOUNT_ID,
        state: "available",
        tags: {},
        region,
    };
}

function subnets(region: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const vpcId = filterValue(inputs, "vpc-id") ?? defaultVpcId(region);
    return {
        ...inputs,
        id: region,
        ids: ["a", "b", "c"].map((zone) => `subnet-0${hex(`${vpcId}:${zone}`, 16)}`),
        tags: {},
        region,
    };
}

/** The invoke's result; an invoke this module does not know returns its inputs. */
export function invokeResult(token: string, inputs: Record<string, unknown>, context: InvokeContext): Record<string, unknown> {
    const region = typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : context.region;
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/ci/offline-check`, userId: "AROAMOCKROLEID:offline-check", id: MOCK_ACCOUNT_ID };
        case "aws:index/getRegion:getRegion":
            return { id: region, name: region, region, endpoint: `ec2.${region}.${partitionOf(region).dnsSuffix}`, description: region };
        case "aws:index/getPartition:getPartition":
            return { id: partitionOf(region).partition, ...partitionOf(region) };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return availabilityZones(region, inputs);
        case "aws:ec2/getAmi:getAmi":
            return ami(region, inputs);
        case "aws:ec2/getVpc:getVpc":
            return vpc(region, inputs);
        case "aws:ec2/getSubnets:getSubnets":
            return subnets(region, inputs);
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return { ...inputs, ...renderPolicyDocument(inputs as PolicyDocumentArgs) };
        default:
            return inputs;
    }
}
