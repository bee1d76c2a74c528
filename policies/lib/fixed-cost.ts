/**
 * What a stack costs a month before its first request: the resources whose charge runs by the hour
 * or the month whether or not anything happens (NAT gateways, public IPv4 addresses, Fargate tasks
 * kept running, customer-managed KMS keys, alarms, dashboards, provisioned capacity, instances,
 * load balancers, secrets), priced from `prices/<region>.json`.
 *
 * The one estimate: the `stack-fixed-cost-budget` policy and `npm run check`'s summary both call
 * `estimateFixedCost` on the same resources, so they cannot disagree. It reads a stack as a stack
 * policy sees it (`StackIndex`), never throws on malformed props, and prices a count it cannot know
 * yet (a value unknown during preview) at its lower bound, saying so in the item's description.
 *
 * Every resource is accounted for: a priced item; a $0 item for what is priced by use (queues,
 * topics, functions, on-demand tables, log groups) or costs nothing (roles, security groups,
 * subnets); or its type in `unpriced`. Component resources and providers are not cloud resources
 * and are skipped, except `awsx:ec2:Vpc`: under Pulumi's mocks its children are invisible, so its
 * NAT gateways and their Elastic IPs are derived from its inputs, with awsx's own defaults, unless
 * the graph holds them (a real preview does).
 */
import type { PolicyResource } from "@pulumi/policy";
import { parseResourceUrn } from "./resource-urn";
import { IndexedResource, StackIndex } from "./stack";
import { asArray, isRecord, isUnknown, knownBoolean, knownNumber, knownString, PlainRecord, plainProps } from "./values";
import { money, monthlyPrice, Price, PriceFile, PriceId, pricesFor } from "./prices";

/** A line of the estimate: `monthly` = `quantity` × `unitPrice`, both per month, in USD. */
export interface CostItem {
    urn: string;
    type: string;
    description: string;
    quantity: number;
    unit: string;
    unitPrice: number;
    monthly: number;
}

/** `fixed`: charged while idle; `usage`: $0 until used; `free`: no charge at all. */
export type CostBasis = "fixed" | "usage" | "free";

export interface EstimatedItem extends CostItem {
    basis: CostBasis;
}

export interface FixedCostEstimate {
    currency: "USD";
    /** The sum of the items' `monthly`. */
    monthly: number;
    /** By URN, then type, then unit. */
    items: EstimatedItem[];
    /** Types of resources the estimate cannot price (no price data), sorted. */
    unpriced: string[];
    /** The regions whose price files were used, sorted. */
    regions: string[];
    /** What the reader must know about the figures (another region's prices, lower bounds), sorted. */
    notes: string[];
}

export const NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";
export const ELASTIC_IP = "aws:ec2/eip:Eip";
export const AWSX_VPC = "awsx:ec2:Vpc";
const ECS_SERVICE = "aws:ecs/service:Service";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SCALING_TARGET = "aws:appautoscaling/target:Target";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** Resources priced only by use, with what they are priced by. */
const USAGE_PRICED: Readonly<Record<string, string>> = {
    "aws:sqs/queue:Queue": "requests",
    "aws:sns/topic:Topic": "publishes and deliveries",
    "aws:lambda/function:Function": "requests and duration",
    "aws:cloudwatch/logGroup:LogGroup": "log ingestion and storage",
    "aws:ecr/repository:Repository": "image storage",
    "awsx:ecr:Image": "image storage in its repository",
    "aws:s3/bucket:Bucket": "storage and requests",
    "aws:s3/bucketV2:BucketV2": "storage and requests",
    "aws:cloudwatch/eventRule:EventRule": "events",
    "aws:cloudwatch/eventBus:EventBus": "events",
    "aws:sfn/stateMachine:StateMachine": "state transitions",
    "aws:apigatewayv2/api:Api": "requests",
    "aws:apigateway/restApi:RestApi": "requests",
};

/** Resources AWS does not charge for (what runs in them is priced as itself). */
const NO_CHARGE: ReadonlySet<string> = new Set([
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/instanceProfile:InstanceProfile",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ecs/cluster:Cluster",
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:appautoscaling/target:Target",
    "aws:appautoscaling/policy:Policy",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redrivePolicy:RedrivePolicy",
    "aws:lambda/permission:Permission",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:kms/alias:Alias",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
    "aws:cloudwatch/eventTarget:EventTarget",
]);

/** The smallest Fargate task: the lower bound of a task whose size is not known. */
const SMALLEST_TASK = { vcpu: 0.25, gb: 0.5 };
/** awsx's defaults (awsx/ec2/vpc.ts): the first 3 availability zones, and public plus private subnets. */
const AWSX_DEFAULT_AZ_COUNT = 3;
const AWSX_DEFAULT_SUBNET_TYPES = ["public", "private"];
/** Deepest parent chain followed (a chain that long is malformed, or a cycle). */
const MAX_DEPTH = 64;

/** The fixed monthly cost of the stack's resources. Never throws. */
export function estimateFixedCost(index: StackIndex): FixedCostEstimate {
    const estimator = new Estimator(index);
    for (const resource of index.all) {
        estimator.price(resource);
    }
    return estimator.result();
}

/** The `count` items that cost the most a month, largest first (ties by URN). */
export function largestItems(estimate: FixedCostEstimate, count: number): EstimatedItem[] {
    return estimate.items
        .filter((item) => item.monthly > 0)
        .sort((a, b) => b.monthly - a.monthly || compare(a.urn, b.urn))
        .slice(0, count);
}

/** `1234.5` → `$1,234.50`; below a cent, `$0.004`. */
export function formatUsd(amount: number): string {
    const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 3 : 2;
    return `$${amount.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

interface Pricing {
    prices: PriceFile;
    /** Appended to a priced item's description when another region's prices stand in. */
    suffix: string;
}

class Estimator {
    private readonly items: EstimatedItem[] = [];
    private readonly unpriced = new Set<string>();
    private readonly regions = new Set<string>();
    private readonly notes = new Set<string>();
    /** Types that are some resource's parent: components, whose children are priced themselves. */
    private readonly parentTypes = new Set<string>();
    private readonly stackRegion: string | undefined;
    private readonly scaling: ServiceScaling;

    constructor(private readonly index: StackIndex) {
        const providerRegions = new Set<string>();
        for (const resource of index.all) {
            for (const type of parseResourceUrn(resource.urn)?.typeChain.slice(0, -1) ?? []) {
                this.parentTypes.add(type);
            }
            const region = resource.type.startsWith("pulumi:providers:aws") ? knownString(resource.props.region) : providerRegion(resource.resource);
            if (region !== undefined) {
                providerRegions.add(region);
            }
        }
        // A resource without a provider of its own (a component, a resource of the default provider) is in the stack's region when every provider agrees on one.
        this.stackRegion = providerRegions.size === 1 ? [...providerRegions][0] : undefined;
        this.scaling = new ServiceScaling(index);
    }

    price(resource: IndexedResource): void {
        const type = resource.type;
        if (type === "" || type.startsWith("pulumi:")) {
            return;
        }
        const handler = HANDLERS[type];
        if (handler !== undefined) {
            handler(resource, this);
        } else if (USAGE_PRICED[type] !== undefined) {
            this.zero(resource, "usage", `priced by use: ${USAGE_PRICED[type]}`);
        } else if (NO_CHARGE.has(type)) {
            this.zero(resource, "free", "no charge");
        } else if (!this.parentTypes.has(type)) {
            this.unpriced.add(type);
        }
    }

    result(): FixedCostEstimate {
        const items = [...this.items].sort((a, b) => compare(a.urn, b.urn) || compare(a.type, b.type) || compare(a.unit, b.unit) || compare(a.description, b.description));
        return {
            currency: "USD",
            monthly: money(items.reduce((sum, item) => sum + item.monthly, 0)),
            items,
            unpriced: [...this.unpriced].sort(compare),
            regions: [...this.regions].sort(compare),
            notes: [...this.notes].sort(compare),
        };
    }

    markUnpriced(type: string): void {
        this.unpriced.add(type);
    }

    /** A priced item; its count is a lower bound when `lowerBound` says why. */
    add(
        resource: { urn: string },
        type: string,
        pricing: Pricing,
        priceId: PriceId | Price | null,
        quantity: number,
        unit: string,
        description: string,
        lowerBound?: string,
        basis: CostBasis = "fixed",
    ): void {
        // null: a price that depends on what is not known yet, so its lower bound, $0.
        const price = typeof priceId === "string" ? pricing.prices.prices[priceId] : priceId;
        const unitPrice = price === null ? 0 : monthlyPrice(price);
        const safeQuantity = money(Number.isFinite(quantity) && quantity > 0 ? quantity : 0);
        let text = description;
        if (lowerBound !== undefined) {
            text += ` (lower bound: ${lowerBound})`;
            this.notes.add("an amount marked 'lower bound' depends on a value not known yet (a preview) or not readable: the real cost is at least that");
        }
        text += pricing.suffix;
        this.items.push({ urn: resource.urn, type, description: text, quantity: safeQuantity, unit, unitPrice, monthly: money(safeQuantity * unitPrice), basis });
    }

    /** A $0 item: priced by use, or no charge. */
    zero(resource: IndexedResource, basis: "usage" | "free", description: string): void {
        this.items.push({ urn: resource.urn, type: resource.type, description, quantity: 1, unit: "resource", unitPrice: 0, monthly: 0, basis });
    }

    pricing(resource: IndexedResource): Pricing {
        const region = this.regionOf(resource);
        const { prices, fallbackNote } = pricesFor(region);
        this.regions.add(prices.region);
        if (fallbackNote !== undefined) {
            this.notes.add(fallbackNote);
            return { prices, suffix: ` [${fallbackNote}]` };
        }
        return { prices, suffix: "" };
    }

    get stack(): StackIndex {
        return this.index;
    }

    get serviceScaling(): ServiceScaling {
        return this.scaling;
    }

    /** The resource's own `region`, else its provider's, else its parents', else the stack's. */
    private regionOf(resource: IndexedResource): string | undefined {
        const own = knownString(resource.props.region);
        if (own !== undefined && own !== "") {
            return own;
        }
        let current: IndexedResource | undefined = resource;
        for (let depth = 0; current !== undefined && depth < MAX_DEPTH; depth++) {
            const region = providerRegion(current.resource);
            if (region !== undefined) {
                return region;
            }
            current = this.parentOf(current);
        }
        return this.stackRegion;
    }

    parentOf(resource: IndexedResource): IndexedResource | undefined {
        const urn = parentUrn(resource.resource);
        return urn === undefined ? undefined : this.index.byUrn(urn);
    }

    /** True when `ancestorUrn` is among `resource`'s parents. */
    isDescendant(resource: IndexedResource, ancestorUrn: string): boolean {
        let current = this.parentOf(resource);
        for (let depth = 0; current !== undefined && depth < MAX_DEPTH; depth++) {
            if (current.urn === ancestorUrn) {
                return true;
            }
            current = this.parentOf(current);
        }
        return false;
    }
}

type Handler = (resource: IndexedResource, estimator: Estimator) => void;

const HANDLERS: Readonly<Record<string, Handler>> = {
    [NAT_GATEWAY]: (r, e) => e.add(r, r.type, e.pricing(r), "natGateway", 1, "NAT gateway", "NAT gateway (hourly charge; the data it processes is priced by use)"),
    [ELASTIC_IP]: (r, e) => e.add(r, r.type, e.pricing(r), "publicIpv4Address", 1, "public IPv4 address", "Elastic IP address (public IPv4, charged in use or idle)"),
    [AWSX_VPC]: priceAwsxVpc,
    [ECS_SERVICE]: priceEcsService,
    "aws:kms/key:Key": priceKmsKey,
    "aws:kms/replicaKey:ReplicaKey": priceKmsKey,
    "aws:kms/externalKey:ExternalKey": priceKmsKey,
    "aws:kms/replicaExternalKey:ReplicaExternalKey": priceKmsKey,
    "aws:cloudwatch/metricAlarm:MetricAlarm": priceMetricAlarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": (r, e) => e.add(r, r.type, e.pricing(r), "compositeAlarm", 1, "composite alarm", "CloudWatch composite alarm"),
    "aws:cloudwatch/dashboard:Dashboard": (r, e) => e.add(r, r.type, e.pricing(r), "dashboard", 1, "dashboard", "CloudWatch dashboard"),
    "aws:dynamodb/table:Table": priceDynamoDbTable,
    "aws:secretsmanager/secret:Secret": priceSecret,
    "aws:ec2/instance:Instance": priceEc2Instance,
    "aws:lb/loadBalancer:LoadBalancer": priceLoadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": priceLoadBalancer,
    "aws:elb/loadBalancer:LoadBalancer": (r, e) =>
        e.add(r, r.type, e.pricing(r), "classicLoadBalancer", 1, "load balancer", "Classic Load Balancer (hourly charge; data processed and its public IPv4 addresses not counted)"),
    [VPC_ENDPOINT]: (r, e) => {
        const endpointType = r.props.vpcEndpointType;
        if (endpointType === undefined || endpointType === null || knownString(endpointType)?.toLowerCase() === "gateway") {
            e.zero(r, "free", "no charge (gateway endpoint)");
        } else {
            e.markUnpriced(r.type);
        }
    },
};

function priceKmsKey(r: IndexedResource, e: Estimator): void {
    const rotation = knownBoolean(r.props.enableKeyRotation) === true ? "; each rotation of its key material adds $1/month later" : "";
    e.add(r, r.type, e.pricing(r), "kmsKey", 1, "key", `customer-managed KMS key${rotation}`);
}

/** Alarm metrics: one per metric an alarm watches (metric math: each metric it reads; anomaly detection: 3), at standard or high resolution. */
function priceMetricAlarm(r: IndexedResource, e: Estimator): void {
    const queries = r.props.metricQueries;
    let metrics = 1;
    let highResolution = isHighResolution(r.props.period);
    let lowerBound: string | undefined;
    if (isUnknown(queries)) {
        lowerBound = "its metric queries are not known yet, counted as 1 metric";
    } else if (Array.isArray(queries) && queries.length > 0) {
        let counted = 0;
        for (const query of queries) {
            if (!isRecord(query)) {
                continue;
            }
            if (isRecord(query.metric) || isUnknown(query.metric)) {
                counted += 1;
                const metric = isRecord(query.metric) ? query.metric : {};
                highResolution ||= isHighResolution(metric.period) || isHighResolution(query.period);
            }
            if (knownString(query.expression)?.includes("ANOMALY_DETECTION_BAND")) {
                counted += 2; // the band's upper and lower bound
            }
        }
        metrics = Math.max(counted, 1);
    }
    const resolution = highResolution ? "high" : "standard";
    e.add(
        r,
        r.type,
        e.pricing(r),
        highResolution ? "alarmMetricHighResolution" : "alarmMetricStandard",
        metrics,
        "alarm metric",
        `CloudWatch alarm: ${metrics} alarm metric${metrics === 1 ? "" : "s"} at ${resolution} resolution`,
        lowerBound,
    );
}

function isHighResolution(period: unknown): boolean {
    const seconds = knownNumber(period);
    return seconds !== undefined && seconds > 0 && seconds < 60;
}

function priceDynamoDbTable(r: IndexedResource, e: Estimator): void {
    const mode = r.props.billingMode;
    if (isUnknown(mode)) {
        e.zero(r, "usage", "priced by use while its billing mode is not known yet (lower bound: on-demand has no fixed part)");
        return;
    }
    // The provider's default billing mode is PROVISIONED.
    if ((knownString(mode) ?? "PROVISIONED").toUpperCase() !== "PROVISIONED") {
        e.zero(r, "usage", "priced by use: on-demand requests and storage");
        return;
    }
    const capacity = { read: 0, write: 0 };
    const unknowns: string[] = [];
    const addCapacity = (holder: PlainRecord, where: string) => {
        for (const [key, property] of [["read", "readCapacity"], ["write", "writeCapacity"]] as const) {
            const value = holder[property];
            const units = knownNumber(value);
            if (units !== undefined && units > 0) {
                capacity[key] += units;
            } else if (isUnknown(value)) {
                unknowns.push(`${where}${property}`);
            }
        }
    };
    addCapacity(r.props, "");
    for (const [i, gsi] of asArray(r.props.globalSecondaryIndexes).entries()) {
        if (isRecord(gsi)) {
            addCapacity(gsi, `globalSecondaryIndexes[${i}].`);
        }
    }
    if (isUnknown(r.props.globalSecondaryIndexes)) {
        unknowns.push("globalSecondaryIndexes");
    }
    const lowerBound = unknowns.length > 0 ? `${unknowns.join(", ")} not known yet, counted as 0` : undefined;
    const pricing = e.pricing(r);
    e.add(r, r.type, pricing, "dynamodbReadCapacityUnit", capacity.read, "RCU", "DynamoDB provisioned read capacity (storage priced by use)", lowerBound);
    e.add(r, r.type, pricing, "dynamodbWriteCapacityUnit", capacity.write, "WCU", "DynamoDB provisioned write capacity", lowerBound);
}

function priceSecret(r: IndexedResource, e: Estimator): void {
    const replicas = r.props.replicas;
    const count = 1 + asArray(replicas).length;
    const lowerBound = isUnknown(replicas) ? "its replicas are not known yet, counted as none" : undefined;
    e.add(r, r.type, e.pricing(r), "secretsManagerSecret", count, "secret", count === 1 ? "Secrets Manager secret" : `Secrets Manager secret and ${count - 1} replica${count === 2 ? "" : "s"}`, lowerBound);
}

function priceEc2Instance(r: IndexedResource, e: Estimator): void {
    const pricing = e.pricing(r);
    const instanceType = r.props.instanceType;
    const known = knownString(instanceType);
    const note = "(its EBS volumes and data transfer not counted)";
    if (isUnknown(instanceType)) {
        e.add(r, r.type, pricing, null, 1, "instance", `EC2 instance ${note}`, "its instance type is not known yet, priced at $0");
    } else if (known !== undefined && Object.prototype.hasOwnProperty.call(pricing.prices.ec2Instances, known)) {
        e.add(r, r.type, pricing, pricing.prices.ec2Instances[known], 1, "instance", `EC2 instance ${known}, Linux on demand ${note}`);
    } else {
        e.markUnpriced(r.type);
    }
    if (knownBoolean(r.props.associatePublicIpAddress) === true) {
        e.add(r, r.type, pricing, "publicIpv4Address", 1, "public IPv4 address", "the instance's public IPv4 address");
    }
}

function priceLoadBalancer(r: IndexedResource, e: Estimator): void {
    const pricing = e.pricing(r);
    const declared = r.props.loadBalancerType;
    const kind = isUnknown(declared) ? undefined : (knownString(declared) ?? "application").toLowerCase();
    const hourly: Record<string, PriceId> = { application: "applicationLoadBalancer", network: "networkLoadBalancer", gateway: "gatewayLoadBalancer" };
    if (kind === undefined) {
        e.add(r, r.type, pricing, "gatewayLoadBalancer", 1, "load balancer", "load balancer (hourly charge)", "its type is not known yet, priced as the cheapest, a gateway load balancer");
        return;
    }
    if (hourly[kind] === undefined || !Object.prototype.hasOwnProperty.call(hourly, kind)) {
        e.markUnpriced(r.type);
        return;
    }
    const name = `${kind[0].toUpperCase()}${kind.slice(1)} Load Balancer`;
    e.add(r, r.type, pricing, hourly[kind], 1, "load balancer", `${name} (hourly charge; capacity units priced by use)`);
    const internal = knownBoolean(r.props.internal);
    if (kind === "gateway" || internal === true) {
        return;
    }
    // An internet-facing load balancer holds a public IPv4 address in each of its subnets (none for a mapping that brings its own Elastic IP, priced as that).
    const mappings = asArray(r.props.subnetMappings).filter((m) => !(isRecord(m) && knownString(m.allocationId) !== undefined));
    const subnets = Array.isArray(r.props.subnets) ? r.props.subnets.length : mappings.length;
    const unknown = isUnknown(r.props.subnets) || isUnknown(r.props.subnetMappings) || isUnknown(r.props.internal);
    e.add(r, r.type, pricing, "publicIpv4Address", subnets, "public IPv4 address", `${name}: a public IPv4 address per subnet`, unknown ? "its subnets or scheme are not known yet" : undefined);
}

// ---------------------------------------------------------------------------------------------
// awsx:ec2:Vpc: its NAT gateways and their Elastic IPs, from its inputs

function priceAwsxVpc(vpc: IndexedResource, e: Estimator): void {
    const props = vpc.props;
    const unknowns: string[] = [];
    const subnetTypes = awsxSubnetTypes(props.subnetSpecs, unknowns);
    const azCount = awsxAzCount(props, unknowns);
    const nat = isRecord(props.natGateways) ? props.natGateways : {};
    if (isUnknown(props.natGateways) || isUnknown(nat.strategy)) {
        unknowns.push("its NAT gateway strategy");
    }
    const declared = knownString(nat.strategy)?.toLowerCase();
    const hasPublicAndPrivate = subnetTypes.has("public") && subnetTypes.has("private");
    // awsx/ec2/vpc.ts: `args.natGateways?.strategy ?? "OnePerAz"`, and gateways only where a public subnet hosts one for private subnets.
    const strategy = unknowns.includes("its NAT gateway strategy") ? "none" : (declared ?? "oneperaz");
    const natCount = !hasPublicAndPrivate || strategy === "none" ? 0 : strategy === "single" ? 1 : strategy === "oneperaz" ? azCount : 0;
    const allocationIds = nat.elasticIpAllocationIds;
    const eipCount = isUnknown(allocationIds) ? 0 : Math.max(natCount - asArray(allocationIds).length, 0);
    const lowerBound = unknowns.length > 0 ? `${unknowns.join(" and ")} not known yet` : undefined;
    const strategyText = declared === undefined ? "NAT strategy unset, awsx's default OnePerAz" : `NAT strategy ${nat.strategy as string}`;
    const how = `${strategyText} × ${azCount} availability zone${azCount === 1 ? "" : "s"}, from the awsx:ec2:Vpc's inputs: its children are not in the graph`;
    const pricing = e.pricing(vpc);
    const children = (type: string) => e.stack.ofType(type).some((child) => e.isDescendant(child, vpc.urn) || orphanUnder(child, e));
    if (!children(NAT_GATEWAY) && (natCount > 0 || lowerBound !== undefined)) {
        e.add(vpc, NAT_GATEWAY, pricing, "natGateway", natCount, "NAT gateway", `NAT gateways awsx creates (${how}); data processed is priced by use`, lowerBound);
    }
    if (!children(ELASTIC_IP) && (eipCount > 0 || lowerBound !== undefined)) {
        e.add(vpc, ELASTIC_IP, pricing, "publicIpv4Address", eipCount, "public IPv4 address", `Elastic IPs of the NAT gateways awsx creates (${how})`, lowerBound);
    }
    const endpoints = props.vpcEndpointSpecs;
    const interfaceEndpoint = asArray(endpoints).some((spec) => isRecord(spec) && knownString(spec.vpcEndpointType)?.toLowerCase() !== "gateway");
    if (interfaceEndpoint && !children(VPC_ENDPOINT)) {
        e.markUnpriced(VPC_ENDPOINT);
    }
}

/** A resource under some awsx VPC whose parent chain cannot be followed: it may be this VPC's, so nothing is derived twice. */
function orphanUnder(child: IndexedResource, e: Estimator): boolean {
    return parseResourceUrn(child.urn)?.typeChain.includes(AWSX_VPC) === true && e.parentOf(child) === undefined;
}

function awsxSubnetTypes(specs: unknown, unknowns: string[]): Set<string> {
    if (specs === undefined || specs === null) {
        return new Set(AWSX_DEFAULT_SUBNET_TYPES);
    }
    if (isUnknown(specs)) {
        unknowns.push("its subnets");
        return new Set();
    }
    return new Set(asArray(specs).map((spec) => (isRecord(spec) ? knownString(spec.type)?.toLowerCase() : undefined)).filter((t): t is string => t !== undefined));
}

function awsxAzCount(props: PlainRecord, unknowns: string[]): number {
    if (Array.isArray(props.availabilityZoneNames)) {
        return props.availabilityZoneNames.length;
    }
    const count = props.numberOfAvailabilityZones;
    if (isUnknown(count) || isUnknown(props.availabilityZoneNames)) {
        unknowns.push("its availability zones");
        return 1;
    }
    const known = knownNumber(count);
    return known !== undefined && known >= 1 ? Math.floor(known) : AWSX_DEFAULT_AZ_COUNT;
}

// ---------------------------------------------------------------------------------------------
// ECS services on Fargate: the tasks kept running while idle

/**
 * Which Application Auto Scaling targets scale which service's desired count: the target's
 * `resourceId` (`service/<cluster>/<service>`) names it, or its dependencies say so.
 */
class ServiceScaling {
    private readonly byService = new Map<string, IndexedResource[]>();
    /** Targets that may scale any service: their resource is not known yet. */
    readonly unresolved: IndexedResource[] = [];

    constructor(index: StackIndex) {
        // By name, so that relating targets stays linear in the stack's size.
        const servicesByName = new Map<string, IndexedResource[]>();
        for (const service of index.ofType(ECS_SERVICE)) {
            const name = knownString(service.props.name);
            if (name !== undefined) {
                servicesByName.set(name, [...(servicesByName.get(name) ?? []), service]);
            }
        }
        for (const target of index.ofType(SCALING_TARGET)) {
            const namespace = target.props.serviceNamespace;
            const dimension = target.props.scalableDimension;
            if ((!isUnknown(namespace) && namespace !== "ecs") || (!isUnknown(dimension) && dimension !== "ecs:service:DesiredCount")) {
                continue;
            }
            const named = /^service\/([^/]+)\/([^/]+)$/.exec(knownString(target.props.resourceId) ?? "");
            let scaled = named ? (servicesByName.get(named[2]) ?? []).filter((service) => sameCluster(service.props.cluster, named[1])) : [];
            if (scaled.length === 0) {
                scaled = index.dependencies(target, "resourceId", [ECS_SERVICE]);
            }
            if (scaled.length === 0 && isUnknown(target.props.resourceId)) {
                this.unresolved.push(target);
            }
            for (const service of scaled) {
                this.byService.set(service.urn, [...(this.byService.get(service.urn) ?? []), target]);
            }
        }
    }

    targetsOf(service: IndexedResource): IndexedResource[] {
        return this.byService.get(service.urn) ?? [];
    }
}

/** A service's `cluster` (an ARN or a name) may be the cluster named `name`; an unknown one may be any. */
function sameCluster(cluster: unknown, name: string): boolean {
    const known = knownString(cluster);
    return known === undefined || known === name || known.endsWith(`/${name}`);
}

/** The task count while idle, and why it is a lower bound when it is one. */
function idleTasks(service: IndexedResource, scaling: ServiceScaling): { tasks: number; why: string; lowerBound?: string } {
    const minimum = (targets: IndexedResource[]) => {
        let least = Infinity;
        let unknown = false;
        for (const target of targets) {
            const value = target.props.minCapacity;
            const count = knownNumber(value);
            unknown ||= count === undefined;
            least = Math.min(least, count === undefined ? 0 : Math.max(0, Math.floor(count)));
        }
        return { least, unknown };
    };
    const targets = scaling.targetsOf(service);
    if (targets.length > 0) {
        const { least, unknown } = minimum(targets);
        return { tasks: least, why: "its scaling target's minimum capacity", lowerBound: unknown ? "the minimum capacity is not known yet, counted as 0" : undefined };
    }
    const desired = service.props.desiredCount;
    const desiredCount = knownNumber(desired);
    const tasks = desiredCount === undefined ? 0 : Math.max(0, Math.floor(desiredCount));
    const desiredUnknown = isUnknown(desired) ? "the desired count is not known yet, counted as 0" : undefined;
    if (scaling.unresolved.length > 0) {
        const { least } = minimum(scaling.unresolved);
        return { tasks: Math.min(tasks, least), why: "its desired count", lowerBound: "a scaling target whose service is not known yet may lower it to its minimum capacity" };
    }
    return { tasks, why: "its desired count", lowerBound: desiredUnknown };
}

/** vCPUs of a task definition's `cpu`: CPU units ("256", 512) or "0.25 vCPU". */
function vcpusOf(value: unknown): number | undefined {
    const text = typeof value === "number" ? String(value) : knownString(value);
    const match = text === undefined ? null : /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(text);
    if (!match) {
        return undefined;
    }
    const amount = Number(match[1]);
    return amount > 0 ? (match[2] ? amount : amount / 1024) : undefined;
}

/** GB of a task definition's `memory`: MiB ("512", 1024) or "1 GB". */
function gbOf(value: unknown): number | undefined {
    const text = typeof value === "number" ? String(value) : knownString(value);
    const match = text === undefined ? null : /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(text);
    if (!match) {
        return undefined;
    }
    const amount = Number(match[1]);
    return amount > 0 ? (match[2] ? amount : amount / 1024) : undefined;
}

function priceEcsService(service: IndexedResource, e: Estimator): void {
    const launchType = service.props.launchType;
    const strategies = service.props.capacityProviderStrategies;
    const providers = asArray(strategies).map((s) => (isRecord(s) ? knownString(s.capacityProvider) : undefined));
    const onFargate =
        launchType === "FARGATE" || (launchType === undefined && providers.length > 0 && providers.every((p) => p === "FARGATE"));
    if (isUnknown(launchType) || (launchType === undefined && isUnknown(strategies))) {
        e.add(service, service.type, e.pricing(service), null, 1, "service", "ECS service", "its launch type is not known yet, priced at $0");
        return;
    }
    if (!onFargate) {
        if (launchType === "EC2" || launchType === "EXTERNAL") {
            e.zero(service, "free", "no charge: its tasks run on EC2 instances or external hosts, priced as those");
        } else if (launchType === undefined && providers.length === 0) {
            e.add(service, service.type, e.pricing(service), null, 1, "service", "ECS service", "no launch type: its tasks run as the cluster's default capacity provider strategy says (EC2 without one), priced at $0");
        } else {
            e.markUnpriced(service.type); // Fargate Spot or a capacity provider of EC2 instances: no price data
        }
        return;
    }
    const definition = e.stack.resolve(service, "taskDefinition", service.props.taskDefinition, [TASK_DEFINITION]);
    const task = definition.kind === "resources" ? definition.targets[0] : undefined;
    const family = knownString(task?.props.runtimePlatform && isRecord(task.props.runtimePlatform) ? task.props.runtimePlatform.operatingSystemFamily : undefined);
    if (family !== undefined && family.toUpperCase() !== "LINUX") {
        e.markUnpriced(service.type); // Windows: a licence fee per vCPU on top, not in the price files
        return;
    }
    const platform = task !== undefined && isRecord(task.props.runtimePlatform) ? task.props.runtimePlatform : {};
    const architecture = platform.cpuArchitecture;
    const arm = knownString(architecture)?.toUpperCase() === "ARM64" || isUnknown(architecture);
    const vcpu = task === undefined ? undefined : vcpusOf(task.props.cpu);
    const gb = task === undefined ? undefined : gbOf(task.props.memory);
    const bounds: string[] = [];
    if (vcpu === undefined || gb === undefined) {
        bounds.push(task === undefined ? "its task definition is not in the stack, sized as the smallest Fargate task" : "its task size is not readable, sized as the smallest Fargate task");
    }
    if (isUnknown(architecture)) {
        bounds.push("its CPU architecture is not known yet, priced as ARM");
    }
    const { tasks, why, lowerBound } = idleTasks(service, e.serviceScaling);
    if (lowerBound !== undefined) {
        bounds.push(lowerBound);
    }
    const bound = bounds.length > 0 ? bounds.join("; ") : undefined;
    const size = { vcpu: vcpu ?? SMALLEST_TASK.vcpu, gb: gb ?? SMALLEST_TASK.gb };
    const platformName = arm ? "Linux/ARM" : "Linux/x86";
    const pricing = e.pricing(service);
    if (tasks === 0) {
        e.add(service, service.type, pricing, arm ? "fargateVcpuLinuxArm" : "fargateVcpuLinuxX86", 0, "vCPU", `Fargate: no task while idle (0, ${why}); tasks are priced by use`, bound, "usage");
        return;
    }
    const kept = `${tasks} task${tasks === 1 ? "" : "s"} kept running (${why})`;
    e.add(service, service.type, pricing, arm ? "fargateVcpuLinuxArm" : "fargateVcpuLinuxX86", tasks * size.vcpu, "vCPU", `Fargate vCPU (${platformName}): ${kept} × ${size.vcpu} vCPU`, bound);
    e.add(service, service.type, pricing, arm ? "fargateGbLinuxArm" : "fargateGbLinuxX86", tasks * size.gb, "GB", `Fargate memory (${platformName}): ${kept} × ${size.gb} GB`, bound);
    const network = isRecord(service.props.networkConfiguration) ? service.props.networkConfiguration : {};
    const publicIp = network.assignPublicIp;
    if (knownBoolean(publicIp) === true) {
        e.add(service, service.type, pricing, "publicIpv4Address", tasks, "public IPv4 address", `public IPv4 address of each of the ${kept}`, bound);
    } else if (isUnknown(publicIp) || isUnknown(service.props.networkConfiguration)) {
        e.add(service, service.type, pricing, "publicIpv4Address", 0, "public IPv4 address", "public IPv4 addresses of its tasks", "whether they get one is not known yet, counted as none");
    }
}

// ---------------------------------------------------------------------------------------------

/** The region of the resource's provider, when it is known. */
function providerRegion(resource: PolicyResource): string | undefined {
    try {
        const region = knownString(plainProps(resource?.provider?.props).region);
        return region === "" ? undefined : region;
    } catch {
        return undefined;
    }
}

function parentUrn(resource: PolicyResource): string | undefined {
    try {
        const urn = (resource?.parent as { urn?: unknown } | undefined)?.urn;
        return typeof urn === "string" ? urn : undefined;
    } catch {
        return undefined;
    }
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
