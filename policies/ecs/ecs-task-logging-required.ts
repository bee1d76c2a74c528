import { ResourceValidationPolicy } from "@pulumi/policy";
import { containerLabel, readContainerDefinitions } from "../lib/container-definitions";
import { isRecord, isUnknown, knownString, plainProps } from "../lib/values";

/** Compliant: every container of an ECS task definition has a `logConfiguration` with a log driver. */
export const ecsTaskLoggingRequired: ResourceValidationPolicy = {
    name: "ecs-task-logging-required",
    description:
        "A container without a log configuration writes its output nowhere: when a task fails or a message is poisoned, " +
        "there is nothing to read. Fargate keeps no logs of its own.\n" +
        "AWS documentation: https://docs.aws.amazon.com/config/latest/developerguide/ecs-task-definition-log-configuration.html",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") {
            return args.notApplicable("Only ECS task definitions have containers.");
        }
        // Unknown (built from outputs during preview) or malformed definitions cannot be judged; the provider rejects the latter.
        const definitions = readContainerDefinitions(plainProps(args.props).containerDefinitions);
        if (definitions.status !== "known") {
            return;
        }
        definitions.containers.forEach((container, index) => {
            if (!hasLogDriver(container.logConfiguration)) {
                reportViolation(
                    `Container ${containerLabel(container, index)} has no logConfiguration. Add logConfiguration: { logDriver: ` +
                        '"awslogs", options: { "awslogs-group": <log group name>, "awslogs-region": <region>, ' +
                        '"awslogs-stream-prefix": <prefix> } } pointing at a log group with a retention.',
                );
            }
        });
    },
};

function hasLogDriver(logConfiguration: unknown): boolean {
    if (isUnknown(logConfiguration)) {
        return true;
    }
    if (!isRecord(logConfiguration)) {
        return false;
    }
    return isUnknown(logConfiguration.logDriver) || (knownString(logConfiguration.logDriver) ?? "").trim() !== "";
}
