"use strict";
const aws = require("@pulumi/aws");
const pulumi = require("@pulumi/pulumi");

const tags = { Project: "web", Environment: pulumi.getStack(), Owner: "web-team" };
const vpc = aws.ec2.getVpcOutput({ default: true });
const zones = aws.getAvailabilityZonesOutput({ state: "available" });

/** A log group per service; retention is forgotten, so every call site's group violates. */
function serviceLogs(name) {
    return new aws.cloudwatch.LogGroup(`${name}-logs`, { tags }); // expect: log-retention-required log-retention-required
}

const web = new aws.ec2.SecurityGroup("web", { // expect: ec2-no-public-ingress
    vpcId: vpc.id,
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
    tags,
});
const webLogs = serviceLogs("web");
const workerLogs = serviceLogs("worker");

exports.account = aws.getCallerIdentityOutput().accountId;
exports.zones = zones.names;
exports.vpcId = vpc.id;
exports.securityGroup = web.id;
exports.logGroups = [webLogs.name, workerLogs.name];
