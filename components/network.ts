import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

/** How the VPC reaches the internet from private subnets (`NetworkArgs.natGateways`). */
export const NAT_STRATEGIES = ["none", "single", "onePerAz"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

export interface NetworkArgs {
    /**
     * `none`: public subnets only, tasks get a public IP and reach AWS APIs directly — no NAT
     * gateway idling at about $32 a month (dev). `onePerAz`: tasks in private subnets behind a NAT
     * gateway in every availability zone, so losing one zone does not cut the others off (prod).
     */
    natGateways: NatStrategy;
    /** How many availability zones the VPC spans. */
    availabilityZones: number;
}

const AWSX_NAT_STRATEGY: Readonly<Record<NatStrategy, awsx.types.enums.ec2.NatGatewayStrategy>> = { none: "None", single: "Single", onePerAz: "OnePerAz" };

/**
 * The VPC the ECS workers run in. awsx builds it (subnets, route tables, gateways); the address
 * plan is awsx's default, so no CIDR is hardcoded here.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC of the workers' security groups. */
    public readonly vpcId: pulumi.Output<string>;
    /** Where tasks run: private subnets behind NAT, or public subnets when there is no NAT. */
    public readonly taskSubnetIds: pulumi.Output<string[]>;
    /** Tasks in public subnets need a public IP to reach SQS, ECR and CloudWatch without NAT. */
    public readonly assignPublicIp: boolean;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("event-pipeline:network:Network", name, {}, opts);

        const privateTasks = args.natGateways !== "none";
        const vpc = new awsx.ec2.Vpc(
            name,
            {
                numberOfAvailabilityZones: args.availabilityZones,
                natGateways: { strategy: AWSX_NAT_STRATEGY[args.natGateways] },
                subnetStrategy: "Auto",
                subnetSpecs: privateTasks ? [{ type: "Public" }, { type: "Private" }] : [{ type: "Public" }],
            },
            { parent: this },
        );

        this.vpcId = vpc.vpcId;
        this.taskSubnetIds = privateTasks ? vpc.privateSubnetIds : vpc.publicSubnetIds;
        this.assignPublicIp = !privateTasks;
        this.registerOutputs({ vpcId: this.vpcId, taskSubnetIds: this.taskSubnetIds });
    }
}
