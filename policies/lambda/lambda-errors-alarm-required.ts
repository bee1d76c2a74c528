import type { StackValidationPolicy } from "@pulumi/policy";
import { alarmCoverage, isAlarmed, misdimensionedNote } from "../lib/alarm-coverage";
import { AwsType } from "../lib/aws-types";
import { StackIndex } from "../lib/stack";

const ERRORS = "Errors";

/**
 * Compliant: every function has an `AWS/Lambda` `Errors` alarm whose `FunctionName` dimension is
 * that function's name (or, for an alias or version, whose `Resource` dimension is `name:alias`),
 * as CloudWatch matches it: an ARN there matches no metric.
 */
export const lambdaErrorsAlarmRequired: StackValidationPolicy = {
    name: "lambda-errors-alarm-required",
    description:
        "A failing function retries, throttles its source and fills dead-letter queues without telling anyone; an alarm on its " +
        "Errors metric is the first signal that a deployment or a dependency broke it.\n" +
        "AWS documentation: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const index = StackIndex.of(args.resources);
        const functions = index.ofType(AwsType.LambdaFunction);
        const coverage = alarmCoverage(index, { namespace: "AWS/Lambda", dimension: "FunctionName", qualifiedDimension: "Resource", type: AwsType.LambdaFunction });
        for (const fn of functions) {
            if (isAlarmed(coverage, fn.urn, ERRORS)) {
                continue;
            }
            reportViolation(
                `Lambda function '${fn.name}' has no CloudWatch alarm on its Errors metric` +
                    misdimensionedNote(coverage, fn, "FunctionName", "function", "ARN") +
                    `: add an aws.cloudwatch.MetricAlarm with ` +
                    `namespace "AWS/Lambda", metricName "Errors", dimensions { FunctionName: <this function's name> } and alarmActions.`,
                fn.urn,
            );
        }
    },
};
