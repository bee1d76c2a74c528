import { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, knownNumber, plainProps } from "../lib/values";

export interface LogRetentionRequiredArgs {
    /** The longest retention allowed, in days. */
    maxRetentionDays?: number;
}

/** Compliant: a CloudWatch log group sets `retentionInDays` > 0 and ≤ config `maxRetentionDays`. */
export const logRetentionRequired: ResourceValidationPolicy = {
    name: "log-retention-required",
    description:
        "A log group without retention keeps every line forever: storage cost grows without bound and personal data in logs " +
        "outlives any retention promise. Choose how long logs are useful and let CloudWatch delete the rest.\n" +
        "AWS documentation: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatchLogsConcepts.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxRetentionDays: { type: "integer", minimum: 1, default: 3653 },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:cloudwatch/logGroup:LogGroup") {
            return args.notApplicable("Only CloudWatch log groups have a retention.");
        }
        const retention = plainProps(args.props).retentionInDays;
        if (isUnknown(retention)) {
            return;
        }
        const days = knownNumber(retention);
        const maxRetentionDays = knownNumber(args.getConfig<LogRetentionRequiredArgs>().maxRetentionDays) ?? DEFAULT_MAX_RETENTION_DAYS;
        if (days === undefined || days <= 0) {
            const problem =
                retention === undefined || retention === null
                    ? "retentionInDays is unset, so the log group never expires its logs"
                    : days === 0
                      ? "retentionInDays is 0, so the log group never expires its logs"
                      : `retentionInDays is ${JSON.stringify(retention)}, not a positive number of days`;
            reportViolation(
                `${problem}. Set retentionInDays to one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, … 3653) ` +
                    `no greater than ${maxRetentionDays}.`,
            );
        } else if (days > maxRetentionDays) {
            reportViolation(
                `The log group keeps logs for ${days} days, longer than the ${maxRetentionDays} days this policy allows. ` +
                    `Lower retentionInDays to at most ${maxRetentionDays}.`,
            );
        }
    },
};

const DEFAULT_MAX_RETENTION_DAYS = 3653;
