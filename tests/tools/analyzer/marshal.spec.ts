import assert from "node:assert/strict";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import {
    ARCHIVE_SIGNATURE,
    ASSET_SIGNATURE,
    assetArchive,
    fileArchive,
    fileAsset,
    marshalProperties,
    marshalValue,
    OUTPUT_VALUE_SIGNATURE,
    PolicyPackError,
    remoteAsset,
    RESOURCE_REFERENCE_SIGNATURE,
    secret,
    SECRET_SIGNATURE,
    SIGNATURE_KEY,
    stringAsset,
    toStruct,
    UNKNOWN,
    UNKNOWN_SENTINELS,
    unknownOf,
} from "../../../tools/analyzer";


describe("analyzer client: marshalling as the engine does", () => {
    it("uses the signatures of @pulumi/pulumi's runtime (fails if the SDK changes them)", () => {
        assert.equal(SIGNATURE_KEY, rpc.specialSigKey);
        assert.equal(SECRET_SIGNATURE, rpc.specialSecretSig);
        assert.equal(ASSET_SIGNATURE, rpc.specialAssetSig);
        assert.equal(ARCHIVE_SIGNATURE, rpc.specialArchiveSig);
        assert.equal(RESOURCE_REFERENCE_SIGNATURE, rpc.specialResourceSig);
        assert.equal(OUTPUT_VALUE_SIGNATURE, rpc.specialOutputValueSig);
        assert.equal(UNKNOWN_SENTINELS.string, rpc.unknownValue);
    });

    it("sends UNKNOWN as the unknown-string sentinel, anywhere in a value", () => {
        assert.equal(marshalValue(UNKNOWN), UNKNOWN_SENTINELS.string);
        assert.deepEqual(marshalProperties({ a: { b: [UNKNOWN, "x"] } }), { a: { b: [UNKNOWN_SENTINELS.string, "x"] } });
        assert.equal(marshalValue(unknownOf("number")), "3eeb2bf0-c639-47a8-9e75-3b44932eb421");
        // What the SDK already marshalled stays as it is.
        assert.equal(marshalValue(UNKNOWN_SENTINELS.string), UNKNOWN_SENTINELS.string);
    });

    it("wraps secret(v) in the secret signature object, the value marshalled too", () => {
        assert.deepEqual(marshalValue(secret("hunter2")), { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: "hunter2" });
        assert.deepEqual(marshalValue(secret({ token: UNKNOWN, n: 1 })), {
            [SIGNATURE_KEY]: SECRET_SIGNATURE,
            value: { token: UNKNOWN_SENTINELS.string, n: 1 },
        });
        assert.deepEqual(marshalValue(secret(undefined)), { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: null });
    });

    it("keeps the SDK's secret objects as secrets, normalising what they hold", () => {
        const sdkSecret = { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: { a: secret("b"), __internal: 1 } };
        assert.deepEqual(marshalValue(sdkSecret), {
            [SIGNATURE_KEY]: SECRET_SIGNATURE,
            value: { a: { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: "b" } },
        });
    });

    it("sends assets and archives in their serialized form", () => {
        assert.deepEqual(marshalValue(fileAsset("./lambda.zip")), { [SIGNATURE_KEY]: ASSET_SIGNATURE, path: "./lambda.zip" });
        assert.deepEqual(marshalValue(stringAsset("exports.handler = 1")), { [SIGNATURE_KEY]: ASSET_SIGNATURE, text: "exports.handler = 1" });
        assert.deepEqual(marshalValue(remoteAsset("https://example.com/a")), { [SIGNATURE_KEY]: ASSET_SIGNATURE, uri: "https://example.com/a" });
        assert.deepEqual(marshalValue(fileArchive("./app")), { [SIGNATURE_KEY]: ARCHIVE_SIGNATURE, path: "./app" });
        assert.deepEqual(marshalValue(assetArchive({ "index.js": stringAsset("x"), lib: fileArchive("./lib") })), {
            [SIGNATURE_KEY]: ARCHIVE_SIGNATURE,
            assets: {
                "index.js": { [SIGNATURE_KEY]: ASSET_SIGNATURE, text: "x" },
                lib: { [SIGNATURE_KEY]: ARCHIVE_SIGNATURE, path: "./lib" },
            },
        });
        // The SDK's form, with a hash, passes through.
        const sdkAsset = { [SIGNATURE_KEY]: ASSET_SIGNATURE, path: "a.txt", hash: "abc" };
        assert.deepEqual(marshalValue(sdkAsset), sdkAsset);
    });

    it("turns resource references into their ID, unknown while the ID is, or a component's URN", () => {
        const urn = "urn:pulumi:dev::p::aws:sqs/queue:Queue::q";
        assert.equal(marshalValue({ [SIGNATURE_KEY]: RESOURCE_REFERENCE_SIGNATURE, urn, id: "https://sqs/q" }), "https://sqs/q");
        assert.equal(marshalValue({ [SIGNATURE_KEY]: RESOURCE_REFERENCE_SIGNATURE, urn, id: "" }), UNKNOWN_SENTINELS.string);
        assert.equal(marshalValue({ [SIGNATURE_KEY]: RESOURCE_REFERENCE_SIGNATURE, urn, id: UNKNOWN_SENTINELS.string }), UNKNOWN_SENTINELS.string);
        assert.equal(marshalValue({ [SIGNATURE_KEY]: RESOURCE_REFERENCE_SIGNATURE, urn: "urn:pulumi:dev::p::my:Component::c" }), "urn:pulumi:dev::p::my:Component::c");
    });

    it("turns output values into their value, unknown when not known, secret when secret", () => {
        assert.equal(marshalValue({ [SIGNATURE_KEY]: OUTPUT_VALUE_SIGNATURE, value: "arn:x", dependencies: ["urn:a"] }), "arn:x");
        assert.equal(marshalValue({ [SIGNATURE_KEY]: OUTPUT_VALUE_SIGNATURE }), UNKNOWN_SENTINELS.string);
        assert.deepEqual(marshalValue({ [SIGNATURE_KEY]: OUTPUT_VALUE_SIGNATURE, value: "p", secret: true }), {
            [SIGNATURE_KEY]: SECRET_SIGNATURE,
            value: "p",
        });
    });

    it("drops internal keys, undefined properties and functions; undefined array elements become null", () => {
        assert.deepEqual(marshalProperties({ __defaults: ["name"], a: undefined, f: () => 1, b: [undefined, 1], c: { __meta: "x", d: null } }), {
            b: [null, 1],
            c: { d: null },
        });
    });

    it("refuses what the engine would refuse, with a message naming the property", () => {
        assert.throws(() => marshalProperties({ tags: { a: { [SIGNATURE_KEY]: "nonsense" } } }), (e: Error) => {
            assert.ok(e instanceof PolicyPackError);
            assert.match(e.message, /cannot send tags\.a to the policy pack: unrecognized signature 'nonsense'/);
            assert.doesNotMatch(e.stack ?? "", /\n\s+at /);
            return true;
        });
        assert.throws(() => marshalProperties({ s: { [SIGNATURE_KEY]: SECRET_SIGNATURE } }), / s to the policy pack: a secret without a value/);
        assert.throws(() => marshalProperties({ a: { [SIGNATURE_KEY]: ASSET_SIGNATURE } }), / a to the policy pack: an asset needs exactly one of/);
        assert.throws(() => marshalProperties({ p: Promise.resolve(1) }), / p to the policy pack: it is a Promise/);
    });

    it("builds the google.protobuf.Struct the request carries", () => {
        const struct = toStruct({ topic: UNKNOWN, password: secret("p"), n: 2, tags: { A: "b" } });
        assert.deepEqual(struct.toJavaScript(), {
            topic: UNKNOWN_SENTINELS.string,
            password: { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: "p" },
            n: 2,
            tags: { A: "b" },
        });
    });
});
