import { ResourceValidationPolicy } from "@pulumi/policy";
import { containerLabel, readContainerDefinitions } from "../lib/container-definitions";
import { isSecretReference, looksLikeSecretName } from "../lib/secret-names";
import { asArray, isRecord, isUnknown, knownString, plainProps } from "../lib/values";

/**
 * Compliant: no Lambda environment variable and no ECS container `environment` entry whose name
 * looks like a secret (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, …) holds a literal value.
 * Names of a reference (`…_ARN`, `…_NAME`, `…_ID`, …) are fine: the secret stays in Secrets
 * Manager or SSM and the code reads it at run time (or ECS injects it through `secrets`).
 */
export const noPlaintextSecrets: ResourceValidationPolicy = {
    name: "no-plaintext-secrets",
    description:
        "Environment variables are plain text in the function or task definition, in the Pulumi state, and for anyone with " +
        "read-only access to Lambda or ECS; a secret there cannot be rotated without a deployment.\n" +
        "AWS documentation: https://docs.aws.amazon.com/config/latest/developerguide/ecs-no-environment-secrets.html",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const props = plainProps(args.props);
        if (args.type === "aws:lambda/function:Function") {
            const variables = isRecord(props.environment) ? props.environment.variables : undefined;
            for (const [name, value] of isRecord(variables) ? Object.entries(variables) : []) {
                if (looksLikeSecretName(name) && isLiteral(value)) {
                    reportViolation(
                        `Environment variable ${name} holds a literal secret. ${FIX} pass its ARN or name (e.g. ${name}_SECRET_ARN) and ` +
                            "read it at run time (the Parameters and Secrets Lambda extension caches it).",
                    );
                }
            }
        } else if (args.type === "aws:ecs/taskDefinition:TaskDefinition") {
            const definitions = readContainerDefinitions(props.containerDefinitions);
            const containers = definitions.status === "known" ? definitions.containers : [];
            containers.forEach((container, index) => {
                for (const entry of asArray(container.environment)) {
                    const name = isRecord(entry) ? knownString(entry.name) : undefined;
                    if (name !== undefined && isRecord(entry) && looksLikeSecretName(name) && isLiteral(entry.value)) {
                        reportViolation(
                            `Container ${containerLabel(container, index)} sets environment variable ${name} to a literal secret. ${FIX} ` +
                                `move it to the container's secrets: [{ name: "${name}", valueFrom: <secret or parameter ARN> }].`,
                        );
                    }
                }
            });
        } else {
            return args.notApplicable("Only Lambda functions and ECS task definitions carry environment variables.");
        }
    },
};

const FIX = "Store the value in Secrets Manager or SSM Parameter Store (SecureString) and";

/** A value written into the program. Unknown values (outputs of other resources) are not judged. */
function isLiteral(value: unknown): boolean {
    if (isUnknown(value)) {
        return false;
    }
    if (typeof value === "string") {
        return value.trim() !== "" && !isSecretReference(value);
    }
    return typeof value === "number"; // a flag (true/false) is never the secret itself
}
