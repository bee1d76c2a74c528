import { ResourceValidationPolicy } from "@pulumi/policy";
import { hasAncestorOfType } from "../lib/resource-urn";
import { asArray, isRecord, isUnknown, knownBoolean, knownString, plainProps, PlainRecord } from "../lib/values";

/**
 * Compliant: no EC2 instance, spot instance request or Elastic IP — except the NAT gateways'
 * addresses an `awsx:ec2:Vpc` creates (its type is in the EIP's URN) — and every ECS service runs
 * on Fargate (`launchType: FARGATE`, or only FARGATE/FARGATE_SPOT capacity providers) with the
 * deployment circuit breaker enabled with rollback.
 */
export const disposableCompute: ResourceValidationPolicy = {
    name: "disposable-compute",
    description:
        "Compute should be cattle, not pets: hand-kept servers and fixed addresses drift, need patching and outlive their " +
        "purpose, while Fargate tasks are replaced on every deployment and a circuit breaker rolls a bad one back by itself.\n" +
        "AWS documentation: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        switch (args.type) {
            case "aws:ec2/instance:Instance":
            case "aws:ec2/spotInstanceRequest:SpotInstanceRequest":
                reportViolation(
                    `${args.type} is a hand-kept server. Run the workload as an ECS service on Fargate (or a Lambda function) so ` +
                        "every deployment replaces it with a fresh, identical copy.",
                );
                return;
            case "aws:ec2/eip:Eip":
                if (!hasAncestorOfType(args.urn, AWSX_VPC)) {
                    reportViolation(
                        "An Elastic IP pins a fixed public address to this stack. Let clients find the service by DNS name (a load " +
                            "balancer or API endpoint) instead; NAT gateway addresses are created for you by awsx.ec2.Vpc.",
                    );
                }
                return;
            case "aws:ecs/service:Service":
                checkService(plainProps(args.props), reportViolation);
                return;
            default:
                return args.notApplicable("Only EC2 instances, spot requests, Elastic IPs and ECS services are judged.");
        }
    },
};

const AWSX_VPC = "awsx:ec2:Vpc";
const FARGATE_CAPACITY_PROVIDERS = new Set(["FARGATE", "FARGATE_SPOT"]);

function checkService(service: PlainRecord, reportViolation: (message: string) => void): void {
    if (runsOnFargate(service) === false) {
        reportViolation(
            "The ECS service does not run on Fargate. Set launchType: \"FARGATE\" or a capacityProviderStrategies of only " +
                "FARGATE/FARGATE_SPOT, so there are no container instances to patch and scale.",
        );
    }
    if (circuitBreakerWithRollback(service.deploymentCircuitBreaker) === false) {
        reportViolation(
            "The ECS service's deployment circuit breaker is not enabled with rollback. Set deploymentCircuitBreaker: " +
                "{ enable: true, rollback: true } so a deployment whose tasks keep failing is rolled back automatically.",
        );
    }
}

/** true, false, or undefined when it cannot be known before deployment. */
function runsOnFargate(service: PlainRecord): boolean | undefined {
    if (isUnknown(service.launchType) || isUnknown(service.capacityProviderStrategies)) {
        return undefined;
    }
    const launchType = knownString(service.launchType);
    if (launchType !== undefined && launchType !== "") {
        return launchType.toUpperCase() === "FARGATE";
    }
    const strategies = asArray(service.capacityProviderStrategies);
    if (strategies.length === 0) {
        // Neither set: ECS uses the cluster's default strategy or, without one, EC2.
        return false;
    }
    let everyKnownIsFargate = true;
    for (const strategy of strategies) {
        const provider = isRecord(strategy) ? strategy.capacityProvider : undefined;
        if (isUnknown(provider) || isUnknown(strategy)) {
            continue;
        }
        const name = knownString(provider);
        everyKnownIsFargate &&= name !== undefined && FARGATE_CAPACITY_PROVIDERS.has(name.toUpperCase());
    }
    return everyKnownIsFargate;
}

function circuitBreakerWithRollback(value: unknown): boolean | undefined {
    if (isUnknown(value)) {
        return undefined;
    }
    if (!isRecord(value)) {
        return false;
    }
    if (isUnknown(value.enable) || isUnknown(value.rollback)) {
        // A known false in either field still decides.
        return knownBoolean(value.enable) === false || knownBoolean(value.rollback) === false ? false : undefined;
    }
    return knownBoolean(value.enable) === true && knownBoolean(value.rollback) === true;
}
