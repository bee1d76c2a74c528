import fc from "fast-check";
import { strict as assert } from "node:assert";
import { type CloudEvent, InvalidEventError, parseCloudEvent } from "../../../consumers/shared/cloudevent";
import { cloudEvent, snsEnvelope } from "../support";

const nonEmpty = fc.string({ minLength: 1, maxLength: 40 });

/** Any CloudEvent the specification allows, extension attributes included. */
const validEvent: fc.Arbitrary<CloudEvent> = fc
    .record(
        {
            specversion: fc.constant("1.0" as const),
            id: nonEmpty,
            source: nonEmpty,
            type: nonEmpty,
            time: fc
                .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
                .map((date) => date.toISOString()),
            subject: fc.string(),
            datacontenttype: fc.constant("application/json"),
            data: fc.jsonValue(),
            traceparent: fc.string(),
        },
        { requiredKeys: ["specversion", "id", "source", "type"] },
    )
    // JSON has no `undefined`; a `data: null` member is still "present", which the parser allows.
    .map((event) => JSON.parse(JSON.stringify(event)) as CloudEvent);

describe("parseCloudEvent", () => {
    it("reads any valid event the same way, raw or inside an SNS envelope", () => {
        fc.assert(
            fc.property(validEvent, (event) => {
                assert.deepEqual(parseCloudEvent(JSON.stringify(event)), event);
                assert.deepEqual(parseCloudEvent(snsEnvelope(event)), event);
            }),
        );
    });

    it("rejects an event missing any required attribute, naming it", () => {
        for (const attribute of ["id", "source", "type", "specversion"] as const) {
            const event: Record<string, unknown> = { ...cloudEvent() };
            delete event[attribute];
            assert.throws(
                () => parseCloudEvent(JSON.stringify(event)),
                (error: unknown) => error instanceof InvalidEventError && error.message.includes(attribute),
            );
        }
    });

    it("rejects what is not a CloudEvent 1.0", () => {
        const invalid: [string, string][] = [
            ["not JSON", "{"],
            ["a JSON array", "[]"],
            ["JSON null", "null"],
            ["CloudEvents 0.3", JSON.stringify(cloudEvent({ specversion: "0.3" as "1.0" }))],
            ["an empty id", JSON.stringify(cloudEvent({ id: "" }))],
            ["a numeric id", JSON.stringify({ ...cloudEvent(), id: 42 })],
            ["an unparseable time", JSON.stringify(cloudEvent({ time: "yesterday" }))],
            ["a time without zone", JSON.stringify(cloudEvent({ time: "2026-11-26T10:00:00" }))],
            ["data and data_base64", JSON.stringify(cloudEvent({ data_base64: "aGk=" }))],
            ["an SNS envelope around nothing", snsEnvelope("")],
            ["an SNS envelope around a non-event", snsEnvelope({ hello: "world" })],
            ["an SNS envelope with no Message", JSON.stringify({ Type: "Notification", TopicArn: "arn:aws:sns:eu-west-1:1:t" })],
        ];
        for (const [what, body] of invalid) {
            assert.throws(() => parseCloudEvent(body), InvalidEventError, what);
        }
    });

    it("fails every malformed body with InvalidEventError, never anything else", () => {
        fc.assert(
            fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((value) => snsEnvelope(JSON.stringify(value)))), (body) => {
                try {
                    parseCloudEvent(body);
                } catch (error) {
                    assert.ok(error instanceof InvalidEventError, String(error));
                }
            }),
        );
    });
});
