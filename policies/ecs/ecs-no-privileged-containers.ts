import { ResourceValidationPolicy } from "@pulumi/policy";
import { containerLabel, readContainerDefinitions } from "../lib/container-definitions";
import { knownBoolean, plainProps } from "../lib/values";

/** Compliant: no container of an ECS task definition sets `privileged: true`. */
export const ecsNoPrivilegedContainers: ResourceValidationPolicy = {
    name: "ecs-no-privileged-containers",
    description:
        "A privileged container has root on its host: one compromised dependency escapes the container. Message workers " +
        "never need it (and Fargate refuses it at deploy time, after the preview passed).\n" +
        "AWS documentation: https://docs.aws.amazon.com/config/latest/developerguide/ecs-containers-nonprivileged.html",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:ecs/taskDefinition:TaskDefinition") {
            return args.notApplicable("Only ECS task definitions have containers.");
        }
        const definitions = readContainerDefinitions(plainProps(args.props).containerDefinitions);
        if (definitions.status !== "known") {
            return;
        }
        definitions.containers.forEach((container, index) => {
            if (knownBoolean(container.privileged) === true) {
                reportViolation(
                    `Container ${containerLabel(container, index)} runs privileged. Remove privileged: true; grant a specific ` +
                        "Linux capability through linuxParameters.capabilities.add only if the workload truly needs one.",
                );
            }
        });
    },
};
