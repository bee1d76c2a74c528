import assert from "node:assert/strict";
import { findIpLiterals, isWithin, parseCidr } from "../../../policies/lib/ip-literals";

describe("ip-literals: prefix lengths", () => {
    it("keeps the longest prefix of each family, drops longer ones", () => {
        assert.deepEqual(findIpLiterals("10.0.0.1/32 and 2001:db8::1/128").map((l) => [l.literal, l.prefixLength]), [
            ["10.0.0.1/32", 32],
            ["2001:db8::1/128", 128],
        ]);
        assert.deepEqual(findIpLiterals("2001:db8::/64").map((l) => l.prefixLength), [64]);
        assert.deepEqual(findIpLiterals("10.0.0.1/33").map((l) => l.literal), ["10.0.0.1"]);
    });

    it("parseCidr reads blanks around a block, and only digits as its prefix", () => {
        assert.deepEqual(parseCidr(" 10.0.0.0/8 "), { literal: "10.0.0.0/8", address: "10.0.0.0", version: 4, prefixLength: 8 });
        assert.equal(parseCidr("10.0.0.0/8x"), undefined);
        assert.equal(parseCidr("10.0.0.0/x8"), undefined);
    });

    it("an IPv6 address lies within its IPv6 block", () => {
        assert.equal(isWithin(parseCidr("2001:db8::1")!, parseCidr("2001:db8::/48")!), true);
        assert.equal(isWithin(parseCidr("2001:db9::1")!, parseCidr("2001:db8::/48")!), false);
    });
});

describe("ip-literals: IPv6 candidates", () => {
    it("a run of full stops after an address is punctuation", () => {
        assert.deepEqual(findIpLiterals("the resolver is 2001:db8::1.. really").map((l) => l.literal), ["2001:db8::1"]);
    });

    it("colons without a hex digit are no address", () => {
        assert.deepEqual(findIpLiterals("a :: b, std::string, ::: and ::"), []);
    });
});

describe("ip-literals: a prefix belongs to the address it follows", () => {
    it("not to one whose trailing full stop was cut off", () => {
        assert.deepEqual(findIpLiterals("2001:db8::./64").map((l) => l.literal), ["2001:db8::"]);
        assert.deepEqual(findIpLiterals("2001:db8::/64").map((l) => l.literal), ["2001:db8::/64"]);
    });
});
