import { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, isRecord, isUnknown, knownString, plainProps } from "../lib/values";

/** Compliant: an ECS cluster's `containerInsights` setting is `enabled` or `enhanced`. */
export const ecsContainerInsightsEnabled: ResourceValidationPolicy = {
    name: "ecs-container-insights-enabled",
    description:
        "Without Container Insights an ECS cluster reports no per-task CPU, memory or restart metrics: a worker that is " +
        "starved or crash-looping while the queue backs up cannot be seen or alarmed on.\n" +
        "AWS documentation: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-container-insights.html",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/cluster:Cluster") {
            return args.notApplicable("Only ECS clusters have Container Insights.");
        }
        const settings = plainProps(args.props).settings;
        if (isUnknown(settings)) {
            return;
        }
        const insights = asArray(settings).filter((s) => isRecord(s) && knownString(s.name)?.toLowerCase() === "containerinsights");
        const values = insights.map((s) => (isRecord(s) ? s.value : undefined));
        if (values.some(isUnknown)) {
            return;
        }
        if (!values.some((v) => ENABLED_VALUES.has(knownString(v)?.toLowerCase()))) {
            const current = values.length === 0 ? "is not set" : `is ${values.map((v) => JSON.stringify(v)).join(", ")}`;
            reportViolation(
                `The cluster's containerInsights setting ${current}. Add settings: [{ name: "containerInsights", value: "enhanced" }] ` +
                    '(or "enabled") so CloudWatch collects per-task metrics.',
            );
        }
    },
};

const ENABLED_VALUES: ReadonlySet<string | undefined> = new Set(["enabled", "enhanced"]);
