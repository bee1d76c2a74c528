import * as aws from "@pulumi/aws";

const tags = { Project: "reports", Environment: "test", Owner: "data-team" };
const account = aws.getCallerIdentityOutput().accountId;
const partition = aws.getPartitionOutput().partition;

const readReports = aws.iam.getPolicyDocumentOutput({
    statements: [
        {
            sid: "ReadReports",
            actions: ["s3:GetObject", "s3:ListBucket"],
            resources: [partition.apply((p) => `arn:${p}:s3:::reports`), partition.apply((p) => `arn:${p}:s3:::reports/*`)],
        },
    ],
});
const everythingInS3 = aws.iam.getPolicyDocumentOutput({
    statements: [
        { sid: "ReadReports", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::reports/*"] },
        {
            sid: "Everything",
            actions: ["s3:*"],
            resources: ["*"],
            conditions: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [account] }],
        },
    ],
});

export const reader = new aws.iam.Policy("report-reader", { policy: readReports.json, tags }).arn;
export const admin = new aws.iam.Policy("report-admin", { policy: everythingInS3.json, tags }).arn; // expect: iam-no-wildcard-actions
