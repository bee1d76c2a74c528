import { Network, NetworkArgs } from "../../../components/network";
import { fixtureArgs, withProvider } from "./fixture";

const network = new Network("network", fixtureArgs<NetworkArgs>({ natGateways: "none", availabilityZones: 2 }), withProvider());

export const vpcId = network.vpcId;
export const taskSubnetIds = network.taskSubnetIds;
export const assignPublicIp = network.assignPublicIp;
