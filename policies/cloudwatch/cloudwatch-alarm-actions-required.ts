import { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, knownBoolean, knownString, plainProps } from "../lib/values";

/** Compliant: a CloudWatch metric alarm has at least one `alarmActions` target and does not set `actionsEnabled: false`. */
export const cloudwatchAlarmActionsRequired: ResourceValidationPolicy = {
    name: "cloudwatch-alarm-actions-required",
    description:
        "An alarm without an action changes colour on a dashboard nobody watches: a backed-up queue or a failing consumer " +
        "must page someone (an SNS topic) or scale something (a scaling policy).\n" +
        "AWS documentation: https://docs.aws.amazon.com/config/latest/developerguide/cloudwatch-alarm-action-check.html",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:cloudwatch/metricAlarm:MetricAlarm") {
            return args.notApplicable("Only CloudWatch metric alarms are judged.");
        }
        const props = plainProps(args.props);
        if (knownBoolean(props.actionsEnabled) === false) {
            reportViolation("The alarm sets actionsEnabled: false, so it notifies no one. Remove it or set it to true.");
        }
        if (!hasActionTarget(props.alarmActions)) {
            reportViolation(
                "The alarm has no alarmActions. Add at least one target, e.g. the ARN of an SNS topic that pages the owning team " +
                    "or of the scaling policy the alarm drives.",
            );
        }
    },
};

/** A non-empty ARN, or a value not known until deployment (unknown never causes a violation). */
function hasActionTarget(alarmActions: unknown): boolean {
    const targets = Array.isArray(alarmActions) ? alarmActions : [alarmActions];
    return targets.some((target) => isUnknown(target) || (knownString(target) ?? "").trim() !== "");
}
