/**
 * The Analyzer protocol's messages (`@pulumi/pulumi/proto/analyzer_pb`): requests built from this
 * module's types as the engine builds them, and answers read back into those types.
 */
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { toStruct } from "./marshal";
import {
    AnalyzedResource,
    AnalyzerInfo,
    EnforcementLevel,
    JsonSchema,
    PolicyConfigMap,
    PolicyConfigOverlay,
    PolicyInfo,
    PolicyPackError,
    ProviderReference,
    StackConfiguration,
    Violation,
} from "./types";

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
    [proto.EnforcementLevel.ADVISORY]: "advisory",
    [proto.EnforcementLevel.MANDATORY]: "mandatory",
    [proto.EnforcementLevel.REMEDIATE]: "remediate",
    [proto.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_VALUES: Record<EnforcementLevel, proto.EnforcementLevel> = {
    advisory: proto.EnforcementLevel.ADVISORY,
    mandatory: proto.EnforcementLevel.MANDATORY,
    remediate: proto.EnforcementLevel.REMEDIATE,
    disabled: proto.EnforcementLevel.DISABLED,
};

function levelName(level: proto.EnforcementLevel): EnforcementLevel {
    const name = LEVEL_NAMES[level];
    if (name === undefined) {
        throw new PolicyPackError(`the policy pack answered with an unknown enforcement level (${level})`);
    }
    return name;
}

function resourceOptions(resource: AnalyzedResource): proto.AnalyzerResourceOptions {
    const options = new proto.AnalyzerResourceOptions();
    options.setProtect(resource.protect);
    options.setIgnorechangesList(resource.ignoreChanges ?? []);
    options.setAliasesList(resource.aliases ?? []);
    options.setAdditionalsecretoutputsList(resource.additionalSecretOutputs ?? []);
    if (resource.deleteBeforeReplace !== undefined) {
        options.setDeletebeforereplace(resource.deleteBeforeReplace);
        options.setDeletebeforereplacedefined(true);
    }
    // The engine always sends custom timeouts, zero when unset.
    const timeouts = new proto.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(resource.customTimeouts?.create ?? 0);
    timeouts.setUpdate(resource.customTimeouts?.update ?? 0);
    timeouts.setDelete(resource.customTimeouts?.delete ?? 0);
    options.setCustomtimeouts(timeouts);
    if (resource.parent) {
        options.setParent(resource.parent);
    }
    return options;
}

function providerResource(provider: ProviderReference): proto.AnalyzerProviderResource {
    const message = new proto.AnalyzerProviderResource();
    message.setUrn(provider.urn);
    message.setType(provider.type);
    message.setName(provider.name);
    message.setProperties(toStruct(provider.props, `${provider.urn} provider props`));
    return message;
}

function stackResource(resource: AnalyzedResource): proto.AnalyzerResource {
    const message = new proto.AnalyzerResource();
    message.setUrn(resource.urn);
    message.setType(resource.type);
    message.setName(resource.name);
    // AnalyzeStack sees the stack's state: outputs, or the inputs of a resource recorded without them.
    message.setProperties(toStruct(resource.outputs ?? resource.inputs, `${resource.urn} ${resource.outputs ? "outputs" : "inputs"}`));
    message.setOptions(resourceOptions(resource));
    if (resource.provider) {
        message.setProvider(providerResource(resource.provider));
    }
    if (resource.parent) {
        message.setParent(resource.parent);
    }
    // A registration's dependencies include every property dependency (plus explicit dependsOn).
    const dependencies = resource.dependencies ?? [...new Set(Object.values(resource.propertyDependencies).flat())];
    message.setDependenciesList(dependencies);
    const propertyDependencies = message.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
        if (urns.length > 0) {
            // Like the engine, a property without dependencies is left out.
            const entry = new proto.AnalyzerPropertyDependencies();
            entry.setUrnsList(urns);
            propertyDependencies.set(property, entry);
        }
    }
    return message;
}

function policyInfo(policy: proto.PolicyInfo): PolicyInfo {
    const info: PolicyInfo = {
        name: policy.getName(),
        displayName: policy.getDisplayname(),
        description: policy.getDescription(),
        enforcementLevel: levelName(policy.getEnforcementlevel()),
        policyType:
            policy.getPolicyType() === proto.PolicyType.POLICY_TYPE_RESOURCE
                ? "resource"
                : policy.getPolicyType() === proto.PolicyType.POLICY_TYPE_STACK
                  ? "stack"
                  : "unknown",
    };
    const schema = policy.getConfigschema();
    if (schema) {
        info.configSchema = {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
            required: schema.getRequiredList(),
        };
    }
    return info;
}

/** `GetAnalyzerInfo`'s answer; `projectVersion` (PulumiPolicy.yaml's) wins over the pack's own, as in the CLI. */
export function analyzerInfo(response: proto.AnalyzerInfo, projectVersion?: string): AnalyzerInfo {
    const initialConfig: PolicyConfigOverlay = {};
    response.getInitialconfigMap().forEach((config, policyName) => {
        initialConfig[policyName] = {
            enforcementLevel: levelName(config.getEnforcementlevel()),
            properties: (config.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
        };
    });
    return {
        name: response.getName(),
        displayName: response.getDisplayname(),
        version: projectVersion ?? response.getVersion(),
        description: response.getDescription(),
        supportsConfig: response.getSupportsconfig(),
        policies: response.getPoliciesList().map(policyInfo),
        initialConfig,
    };
}

/** Each policy's level and properties; refuses a level the protocol does not know. */
export function configureRequest(config: PolicyConfigMap): proto.ConfigureAnalyzerRequest {
    const request = new proto.ConfigureAnalyzerRequest();
    const policyConfigs = request.getPolicyconfigMap();
    for (const [policyName, { enforcementLevel, properties }] of Object.entries(config)) {
        const level = LEVEL_VALUES[enforcementLevel];
        if (level === undefined) {
            throw new PolicyPackError(`policy config for '${policyName}': invalid enforcement level ${JSON.stringify(enforcementLevel)}`);
        }
        const policyConfig = new proto.PolicyConfig();
        policyConfig.setEnforcementlevel(level);
        policyConfig.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(properties ?? {}))));
        policyConfigs.set(policyName, policyConfig);
    }
    return request;
}

export function configureStackRequest(stack: StackConfiguration): proto.AnalyzerStackConfigureRequest {
    const request = new proto.AnalyzerStackConfigureRequest();
    request.setStack(stack.stack);
    request.setProject(stack.project);
    request.setOrganization(stack.organization ?? "");
    request.setDryRun(stack.dryRun ?? false);
    const tags = request.getTagsMap();
    for (const [key, value] of Object.entries(stack.tags ?? {})) {
        tags.set(key, value);
    }
    return request;
}

/** `Analyze` of one resource: its inputs, options and provider. */
export function analyzeRequest(resource: AnalyzedResource): proto.AnalyzeRequest {
    const request = new proto.AnalyzeRequest();
    request.setUrn(resource.urn);
    request.setType(resource.type);
    request.setName(resource.name);
    request.setProperties(toStruct(resource.inputs, `${resource.urn} inputs`));
    request.setOptions(resourceOptions(resource));
    if (resource.provider) {
        request.setProvider(providerResource(resource.provider));
    }
    return request;
}

/** `AnalyzeStack` of every resource, each with its outputs (or inputs), parent and dependencies. */
export function analyzeStackRequest(resources: readonly AnalyzedResource[]): proto.AnalyzeStackRequest {
    const request = new proto.AnalyzeStackRequest();
    request.setResourcesList(resources.map(stackResource));
    return request;
}

/** An `Analyze` or `AnalyzeStack` answer's diagnostics; those without a URN are filed under `defaultUrn`. */
export function violations(response: proto.AnalyzeResponse, defaultUrn?: string): Violation[] {
    return response.getDiagnosticsList().map((diagnostic) => {
        const violation: Violation = {
            policyName: diagnostic.getPolicyname(),
            policyPackName: diagnostic.getPolicypackname(),
            policyPackVersion: diagnostic.getPolicypackversion(),
            enforcementLevel: levelName(diagnostic.getEnforcementlevel()),
            message: diagnostic.getMessage(),
            description: diagnostic.getDescription(),
        };
        // The engine files a resource policy's violation under the analyzed resource.
        const urn = diagnostic.getUrn() || defaultUrn;
        if (urn) {
            violation.urn = urn;
        }
        return violation;
    });
}
