import assert from "node:assert/strict";
import { rejectArguments, wholeNumberFromTo, wholeNumberProblem } from "../../components/argument-problems";
import { assertRunError } from "../support/recorded";

describe("components/argument-problems", () => {
    describe("wholeNumberProblem", () => {
        it("accepts whole numbers from min to max, both included", () => {
            for (const value of [2, 3, 6]) {
                assert.equal(wholeNumberProblem(value, 2, 6), undefined, String(value));
            }
        });

        it("refuses values below, above, between whole numbers or not numbers at all, naming the range", () => {
            for (const value of [1, 7, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
                assert.equal(wholeNumberProblem(value, 2, 6), "must be a whole number from 2 to 6", String(value));
            }
            assert.equal(wholeNumberFromTo(2, 6), "must be a whole number from 2 to 6");
        });
    });

    describe("rejectArguments", () => {
        const args = { count: 0, ratio: Number.NaN, policy: { type: ["order.created"] } };

        it("returns when there is no problem", () => {
            assert.doesNotThrow(() => rejectArguments("Widget", "orders", args, []));
        });

        it("throws one pulumi.RunError naming the component, then each argument with its value and problem", () => {
            const message = assertRunError(() =>
                rejectArguments("Widget", "orders", args, [
                    ["count", "must be above 0"],
                    ["ratio", "must be a number"],
                    ["policy", "must name a known attribute"],
                ]),
            );
            // Objects as JSON, numbers as JavaScript writes them (NaN is NaN, not JSON's null).
            assert.equal(message, 'Widget orders: count 0 must be above 0; ratio NaN must be a number; policy {"type":["order.created"]} must name a known attribute');
        });

        it("names the part of an object argument a problem is about by its path, with that part's value", () => {
            const policy = { $or: [{ Source: ["x"] }], eventType: ["a"] };
            const message = assertRunError(() =>
                rejectArguments("Widget", "orders", { policy }, [
                    ["policy", "is unknown", ["eventType"]],
                    ["policy", "is unknown too", ["$or", 0, "Source"]],
                    ["policy", "is not there", ["missing", 1]],
                ]),
            );
            assert.equal(message, 'Widget orders: policy.eventType ["a"] is unknown; policy.$or[0].Source ["x"] is unknown too; policy.missing[1] undefined is not there');
        });
    });
});
