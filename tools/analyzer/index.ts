/**
 * The analyzer client: runs a Pulumi policy pack as the CLI does and speaks the Analyzer protocol
 * to it. Used by `npm run check`, its tests and the benchmark.
 */
export { startPolicyPack, PolicyPackClient } from "./client";
export type { StartOptions, AnalyzeAllOptions } from "./client";
export type { StackEnvironment } from "./pack-process";
export {
    defaultsFromSchemas,
    loadPolicyConfigFile,
    overlayPolicyConfig,
    parsePolicyConfig,
    resolvePolicyConfig,
    validatePolicyConfig,
} from "./config";
export {
    UNKNOWN,
    UNKNOWN_SENTINELS,
    SIGNATURE_KEY,
    SECRET_SIGNATURE,
    ASSET_SIGNATURE,
    ARCHIVE_SIGNATURE,
    RESOURCE_REFERENCE_SIGNATURE,
    OUTPUT_VALUE_SIGNATURE,
    UnknownValue,
    SecretValue,
    AssetOrArchive,
    unknownOf,
    secret,
    fileAsset,
    stringAsset,
    remoteAsset,
    fileArchive,
    remoteArchive,
    assetArchive,
    isUnknownSentinel,
    marshalValue,
    marshalProperties,
    toStruct,
} from "./marshal";
export type { UnknownKind, WireValue, WireObject } from "./marshal";
export { PolicyPackError, ENFORCEMENT_LEVELS } from "./types";
export type {
    AnalyzedResource,
    AnalyzerInfo,
    EnforcementLevel,
    JsonSchema,
    PolicyConfig,
    PolicyConfigMap,
    PolicyConfigOverlay,
    PolicyInfo,
    ProviderReference,
    StackConfiguration,
    Violation,
} from "./types";
