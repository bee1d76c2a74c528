import assert from "node:assert/strict";
import { ProgramRun } from "../../tools/mock-runtime";
import { one, runFixture, TYPES } from "../support/recorded";

describe("components/network: Network", () => {
    const runs: Record<"none" | "single" | "onePerAz", ProgramRun> = {} as never;

    before(async () => {
        runs.none = await runFixture("network", { natGateways: "none", availabilityZones: 2 });
        runs.single = await runFixture("network", { natGateways: "single", availabilityZones: 2 });
        runs.onePerAz = await runFixture("network", { natGateways: "onePerAz", availabilityZones: 3 });
    });

    it("builds one awsx VPC under the component, in the AZ count it is given", () => {
        const component = one(runs.none, TYPES.network, "network");
        const vpc = one(runs.none, TYPES.vpc, "network");
        assert.equal(vpc.parent, component.urn);
        assert.equal(vpc.inputs.numberOfAvailabilityZones, 2);
        assert.equal(one(runs.onePerAz, TYPES.vpc).inputs.numberOfAvailabilityZones, 3);
    });

    it("without NAT (dev): public subnets only, no NAT gateway, tasks get a public IP", () => {
        const vpc = one(runs.none, TYPES.vpc).inputs;
        assert.deepEqual(vpc.natGateways, { strategy: "None" });
        assert.deepEqual(vpc.subnetSpecs, [{ type: "Public" }]);
        assert.equal(runs.none.outputs.assignPublicIp, true);
        assert.deepEqual(runs.none.outputs.taskSubnetIds, one(runs.none, TYPES.vpc).outputs.publicSubnetIds);
    });

    it("with a NAT per AZ (prod): public and private subnets, tasks in private subnets without a public IP", () => {
        const vpc = one(runs.onePerAz, TYPES.vpc);
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "OnePerAz" });
        assert.deepEqual(vpc.inputs.subnetSpecs, [{ type: "Public" }, { type: "Private" }]);
        assert.equal(runs.onePerAz.outputs.assignPublicIp, false);
        assert.deepEqual(runs.onePerAz.outputs.taskSubnetIds, vpc.outputs.privateSubnetIds);
    });

    it("with a single NAT: private task subnets behind one gateway", () => {
        const vpc = one(runs.single, TYPES.vpc);
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "Single" });
        assert.equal(runs.single.outputs.assignPublicIp, false);
        assert.deepEqual(runs.single.outputs.taskSubnetIds, vpc.outputs.privateSubnetIds);
    });

    it("hardcodes no address plan and exports the VPC id", () => {
        const vpc = one(runs.none, TYPES.vpc);
        assert.equal(vpc.inputs.cidrBlock, undefined);
        assert.equal(runs.none.outputs.vpcId, vpc.outputs.vpcId);
    });
});
