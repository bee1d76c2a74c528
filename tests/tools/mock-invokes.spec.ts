/**
 * The invokes the mock runtime answers: plausible values in the invoke's region and the mock
 * account, shaped as @pulumi/aws declares the results; anything else returns its inputs.
 */
import assert from "node:assert/strict";
import { invokeResult, MOCK_ACCOUNT_ID } from "../../tools/mock-invokes";

const context = { region: "eu-west-1" };

describe("tools/mock-invokes", () => {
    it("getCallerIdentity: the mock account", () => {
        const identity = invokeResult("aws:index/getCallerIdentity:getCallerIdentity", {}, context);
        assert.equal(identity.accountId, MOCK_ACCOUNT_ID);
        assert.match(String(identity.arn), new RegExp(`^arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/`));
        assert.equal(identity.id, MOCK_ACCOUNT_ID);
    });

    it("getRegion and getPartition: the provider's region, or the one asked for; the partition by region", () => {
        assert.deepEqual(
            [invokeResult("aws:index/getRegion:getRegion", {}, context).name, invokeResult("aws:index/getRegion:getRegion", { region: "ap-southeast-2" }, context).region],
            ["eu-west-1", "ap-southeast-2"],
        );
        assert.equal(invokeResult("aws:index/getRegion:getRegion", {}, context).endpoint, "ec2.eu-west-1.amazonaws.com");
        assert.deepEqual(
            ["eu-west-1", "cn-north-1", "us-gov-west-1"].map((region) => invokeResult("aws:index/getPartition:getPartition", {}, { region }).partition),
            ["aws", "aws-cn", "aws-us-gov"],
        );
        assert.equal(invokeResult("aws:index/getPartition:getPartition", {}, { region: "cn-north-1" }).dnsSuffix, "amazonaws.com.cn");
    });

    it("getAvailabilityZones: three zones with AWS's zone IDs, excluded ones left out", () => {
        const zones = invokeResult("aws:index/getAvailabilityZones:getAvailabilityZones", { state: "available" }, { region: "us-east-1" });
        assert.deepEqual(zones.names, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.deepEqual(zones.zoneIds, ["use1-az1", "use1-az2", "use1-az3"]);
        assert.equal(zones.state, "available");
        assert.deepEqual(invokeResult("aws:index/getAvailabilityZones:getAvailabilityZones", {}, { region: "ap-southeast-2" }).zoneIds, ["apse2-az1", "apse2-az2", "apse2-az3"]);
        assert.deepEqual(invokeResult("aws:index/getAvailabilityZones:getAvailabilityZones", { excludeNames: ["eu-west-1b"] }, context).names, ["eu-west-1a", "eu-west-1c"]);
    });

    it("getAmi: an image ID, stable for the same query, named after the name filter", () => {
        const query = { owners: ["amazon"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-*-x86_64"] }] };
        const ami = invokeResult("aws:ec2/getAmi:getAmi", query, context);
        assert.match(String(ami.imageId), /^ami-0[0-9a-f]{16}$/);
        assert.equal(ami.id, ami.imageId);
        assert.equal(ami.name, "al2023-ami-0-x86_64");
        assert.equal(ami.arn, `arn:aws:ec2:eu-west-1::image/${String(ami.imageId)}`);
        assert.equal(invokeResult("aws:ec2/getAmi:getAmi", query, context).imageId, ami.imageId);
        assert.notEqual(invokeResult("aws:ec2/getAmi:getAmi", { ...query, owners: ["self"] }, context).imageId, ami.imageId);
    });

    it("getVpc and getSubnets: the region's default VPC and one subnet per zone in it", () => {
        const vpc = invokeResult("aws:ec2/getVpc:getVpc", { default: true }, context);
        assert.match(String(vpc.id), /^vpc-0[0-9a-f]{16}$/);
        assert.equal(vpc.default, true);
        assert.equal(vpc.cidrBlock, "172.31.0.0/16");
        assert.equal(vpc.ownerId, MOCK_ACCOUNT_ID);
        const subnets = invokeResult("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: [vpc.id] }] }, context);
        assert.equal((subnets.ids as string[]).length, 3);
        for (const id of subnets.ids as string[]) {
            assert.match(id, /^subnet-0[0-9a-f]{16}$/);
        }
        assert.notEqual(invokeResult("aws:ec2/getVpc:getVpc", {}, { region: "us-east-1" }).id, vpc.id, "each region has its own default VPC");
    });

    it("getPolicyDocument: the rendered json and minifiedJson next to the inputs", () => {
        const inputs = { statements: [{ actions: ["sqs:SendMessage"], resources: ["*"] }] };
        const result = invokeResult("aws:iam/getPolicyDocument:getPolicyDocument", inputs, context);
        assert.equal(result.minifiedJson, '{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}');
        assert.deepEqual(result.statements, inputs.statements);
    });

    it("an invoke it does not know returns its inputs", () => {
        const inputs = { name: "my-secret", versionStage: "AWSCURRENT" };
        assert.deepEqual(invokeResult("aws:secretsmanager/getSecretVersion:getSecretVersion", inputs, context), inputs);
    });
});
