import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const tags = { Project: "notifier", Environment: pulumi.getStack(), Owner: config.require("owner") };
const apiToken = config.requireSecret("apiToken");

const role = new aws.iam.Role("notifier", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags,
});

// A secret in config is still plain text in the function's environment.
const notifier = new aws.lambda.Function("notifier", { // expect: no-plaintext-secrets lambda-errors-alarm-required
    role: role.arn,
    runtime: "nodejs22.x",
    handler: "index.handler",
    code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async () => {};") }),
    environment: { variables: { API_TOKEN: apiToken } },
    tags,
});

export const functionName = notifier.name;
