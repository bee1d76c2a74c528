/**
 * Property values as the engine sends them to analyzers.
 *
 * The engine unmarshals what the SDK registered into rich property values, then marshals them for
 * analyzers with `KeepUnknowns`, `KeepSecrets` and `SkipInternalKeys` and without resource
 * references or output values (`sdk/go/common/resource/plugin/rpc.go`, `analyzer_plugin.go`).
 * `marshalValue` does the same in one step, so a value reaches the pack exactly as in a preview:
 * - `UNKNOWN` (or `unknownOf(kind)`), and the SDK's unknown sentinel string, become the unknown
 *   sentinel strings that `@pulumi/policy`'s proxy recognises;
 * - `secret(v)` and the SDK's secret object become `{ <sig>: <secret sig>, value }`, which the pack
 *   unwraps (`deserialize.js`);
 * - assets and archives (`fileAsset(…)`, …, or the SDK's signature objects) keep their signature;
 * - a resource reference becomes its ID (unknown while the ID is) or, for a component, its URN;
 * - an output value becomes its value (unknown if not known, secret if secret);
 * - keys starting with `__` are dropped at every level, `undefined` properties and functions are
 *   dropped, `undefined` array elements become `null`.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PolicyPackError } from "./types";

/** `@pulumi/pulumi/runtime/rpc.js` signatures. */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
export const ASSET_SIGNATURE = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIGNATURE = "0def7320c3a5731c473e5ecbe6d01bc7";
export const RESOURCE_REFERENCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIGNATURE = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** The engine's typed unknown sentinels (`rpc.go`); the Node SDK only ever sends the string one. */
export const UNKNOWN_SENTINELS = {
    bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;
export type UnknownKind = keyof typeof UNKNOWN_SENTINELS;

/** A value not known until the resource exists (an output during a first preview). */
export class UnknownValue {
    constructor(readonly kind: UnknownKind) {
        Object.freeze(this);
    }
}

export function unknownOf(kind: UnknownKind): UnknownValue {
    return new UnknownValue(kind);
}

/** An unknown string — what every unknown output of a Node.js program is on the wire. */
export const UNKNOWN: UnknownValue = unknownOf("string");

/** A value the program marked secret (`pulumi.secret(…)`, `additionalSecretOutputs`). */
export class SecretValue<T = unknown> {
    constructor(readonly value: T) {}
}

export function secret<T>(value: T): SecretValue<T> {
    return new SecretValue(value);
}

/** An asset or archive in the engine's serialized form (`asset.Serialize()`). */
export class AssetOrArchive {
    constructor(readonly serialized: Readonly<Record<string, unknown>>) {}
}

export function fileAsset(path: string): AssetOrArchive {
    return new AssetOrArchive({ [SIGNATURE_KEY]: ASSET_SIGNATURE, path });
}
export function stringAsset(text: string): AssetOrArchive {
    return new AssetOrArchive({ [SIGNATURE_KEY]: ASSET_SIGNATURE, text });
}
export function remoteAsset(uri: string): AssetOrArchive {
    return new AssetOrArchive({ [SIGNATURE_KEY]: ASSET_SIGNATURE, uri });
}
export function fileArchive(path: string): AssetOrArchive {
    return new AssetOrArchive({ [SIGNATURE_KEY]: ARCHIVE_SIGNATURE, path });
}
export function remoteArchive(uri: string): AssetOrArchive {
    return new AssetOrArchive({ [SIGNATURE_KEY]: ARCHIVE_SIGNATURE, uri });
}
export function assetArchive(assets: Record<string, AssetOrArchive>): AssetOrArchive {
    return new AssetOrArchive({ [SIGNATURE_KEY]: ARCHIVE_SIGNATURE, assets });
}

/** A JSON value as it travels in a `google.protobuf.Struct`. */
export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };
export type WireObject = { [key: string]: WireValue };

const UNKNOWN_SENTINEL_SET: ReadonlySet<string> = new Set(Object.values(UNKNOWN_SENTINELS));

export function isUnknownSentinel(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINEL_SET.has(value);
}

function fail(path: string, problem: string): never {
    throw new PolicyPackError(`cannot send ${path || "a value"} to the policy pack: ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The engine's form of a value; `undefined` where the engine would leave the property out. */
export function marshalValue(value: unknown, path = ""): WireValue | undefined {
    if (value === undefined || typeof value === "function" || typeof value === "symbol") {
        return undefined;
    }
    if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") {
        // An unknown sentinel string is already the engine's form; any other string is a string.
        return value;
    }
    if (typeof value === "bigint") {
        fail(path, "a bigint (a Pulumi program cannot register one; use a number or a string)");
    }
    if (value instanceof UnknownValue) {
        return UNKNOWN_SENTINELS[value.kind];
    }
    if (value instanceof SecretValue) {
        return secretWire(marshalValue(value.value, `${path}(secret)`));
    }
    if (value instanceof AssetOrArchive) {
        return marshalSigned(value.serialized, path);
    }
    if (Array.isArray(value)) {
        return value.map((element, i) => marshalValue(element, `${path}[${i}]`) ?? null);
    }
    if (value instanceof Promise) {
        fail(path, "it is a Promise; record the resolved value");
    }
    if (isRecord(value) && typeof value[SIGNATURE_KEY] === "string") {
        return marshalSigned(value, path);
    }
    return marshalObject(value as Record<string, unknown>, path);
}

/** A property map in the engine's form; the top level of `properties` in every analyzer request. */
export function marshalProperties(properties: Record<string, unknown>, path = ""): WireObject {
    return marshalObject(properties, path);
}

/** `marshalProperties` as the `google.protobuf.Struct` the analyzer protocol carries. */
export function toStruct(properties: Record<string, unknown>, path = ""): Struct {
    return Struct.fromJavaScript(marshalProperties(properties, path));
}

function marshalObject(object: Record<string, unknown>, path: string): WireObject {
    const result: WireObject = {};
    for (const key of Object.keys(object)) {
        if (key.startsWith("__")) {
            // SkipInternalKeys: provider-internal keys such as `__defaults` never reach analyzers.
            continue;
        }
        const marshalled = marshalValue(object[key], path ? `${path}.${key}` : key);
        if (marshalled !== undefined) {
            result[key] = marshalled;
        }
    }
    return result;
}

function secretWire(value: WireValue | undefined): WireObject {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: value ?? null };
}

/** Values carrying the SDK's signature key, normalised as the engine's unmarshal + marshal would. */
function marshalSigned(value: Readonly<Record<string, unknown>>, path: string): WireValue {
    const signature = value[SIGNATURE_KEY];
    switch (signature) {
        case SECRET_SIGNATURE:
            if (!("value" in value)) {
                fail(path, "a secret without a value");
            }
            return secretWire(marshalValue(value["value"], `${path}(secret)`));
        case ASSET_SIGNATURE:
        case ARCHIVE_SIGNATURE:
            return marshalAssetOrArchive(value, signature, path);
        case RESOURCE_REFERENCE_SIGNATURE: {
            const urn = value["urn"];
            if (typeof urn !== "string") {
                fail(path, "a resource reference without a URN");
            }
            if (!("id" in value)) {
                return urn; // a component: analyzers get its URN
            }
            const id = value["id"];
            // An ID not known yet (preview of a new resource) is an unknown string.
            return typeof id === "string" && id !== "" && !isUnknownSentinel(id) ? id : UNKNOWN_SENTINELS.string;
        }
        case OUTPUT_VALUE_SIGNATURE: {
            const element = "value" in value ? marshalValue(value["value"], path) ?? null : UNKNOWN_SENTINELS.string;
            return value["secret"] === true ? secretWire(element) : element;
        }
        default:
            fail(path, `unrecognized signature '${String(signature)}'`);
    }
}

function marshalAssetOrArchive(value: Readonly<Record<string, unknown>>, signature: string, path: string): WireObject {
    const kind = signature === ASSET_SIGNATURE ? "asset" : "archive";
    const sources = signature === ASSET_SIGNATURE ? ["text", "path", "uri"] : ["assets", "path", "uri"];
    const present = sources.filter((key) => value[key] !== undefined);
    if (present.length !== 1) {
        fail(path, `an ${kind} needs exactly one of ${sources.join(", ")}`);
    }
    const source = present[0];
    const result: WireObject = { [SIGNATURE_KEY]: signature };
    if (typeof value["hash"] === "string" && value["hash"] !== "") {
        result["hash"] = value["hash"];
    }
    if (source === "assets") {
        const assets = value["assets"];
        if (!isRecord(assets)) {
            fail(path, "an archive's assets must be an object");
        }
        const marshalledAssets: WireObject = {};
        for (const [name, member] of Object.entries(assets)) {
            const marshalled = marshalValue(member, `${path}.assets.${name}`);
            const isMember = isRecord(marshalled) && (marshalled[SIGNATURE_KEY] === ASSET_SIGNATURE || marshalled[SIGNATURE_KEY] === ARCHIVE_SIGNATURE);
            if (!isMember) {
                fail(`${path}.assets.${name}`, "an archive member must be an asset or an archive");
            }
            marshalledAssets[name] = marshalled;
        }
        result["assets"] = marshalledAssets;
    } else {
        const location = value[source];
        if (typeof location !== "string") {
            fail(path, `an ${kind}'s ${source} must be a string`);
        }
        result[source] = location;
    }
    return result;
}
