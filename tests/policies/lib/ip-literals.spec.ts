import assert from "node:assert/strict";
import { findIpLiterals, isWithin, parseCidr } from "../../../policies/lib/ip-literals";

function literalsIn(text: string): string[] {
    return findIpLiterals(text).map((found) => found.literal);
}

describe("ip-literals", () => {
    describe("findIpLiterals finds", () => {
        const cases: [string, string[]][] = [
            ["10.0.12.7", ["10.0.12.7"]],
            ["10.0.0.0/16", ["10.0.0.0/16"]],
            ["http://192.168.1.20:8080/health", ["192.168.1.20"]],
            ["postgres://app@172.16.0.5:5432/orders", ["172.16.0.5"]],
            ["db.internal=10.1.2.3,10.1.2.4", ["10.1.2.3", "10.1.2.4"]],
            ["10.0.0.1-10.0.0.9", ["10.0.0.1", "10.0.0.9"]],
            ["2001:db8::1", ["2001:db8::1"]],
            ["2001:db8::/32", ["2001:db8::/32"]],
            ["http://[2001:db8::7]:443/", ["2001:db8::7"]],
            ["::1", ["::1"]],
            ["fe80::1%eth0", ["fe80::1"]],
            ["::ffff:10.0.0.1", ["::ffff:10.0.0.1"]],
            ["10.0.0.9 ::ffff:10.0.0.1 10.0.0.2 fe80::2", ["10.0.0.9", "::ffff:10.0.0.1", "10.0.0.2", "fe80::2"]],
            ["1:2:3:4:5:6:7:8", ["1:2:3:4:5:6:7:8"]],
            ["reach me at 2001:db8::5.", ["2001:db8::5"]],
            ["0.0.0.0/0", ["0.0.0.0/0"]],
            ["10.0.0.0/33", ["10.0.0.0"]],
            ["2001:db8::/129", ["2001:db8::"]],
        ];
        for (const [text, expected] of cases) {
            it(`${JSON.stringify(text)} → ${expected.join(", ")}`, () => {
                assert.deepEqual(literalsIn(text), expected);
            });
        }
    });

    describe("findIpLiterals ignores", () => {
        const notAddresses: [string, string][] = [
            ["a three-part version", "10.20.3"],
            ["a five-part version", "1.2.3.4.5"],
            ["a v-prefixed version", "v1.2.3.4"],
            ["an image tag", "node:22.11.0"],
            ["an image tag with a registry", "public.ecr.aws/docker/library/node:22.11.0-alpine"],
            ["an ARN", "arn:aws:iam::123456789012:role/worker"],
            ["an ARN with a hex-looking service", "arn:aws:ecr::123456789012:repository/abc"],
            ["a URN", "urn:pulumi:dead::beef::aws:sqs/queue:Queue::orders"],
            ["a decimal", "3.14159"],
            ["a timestamp", "2026-11-02T10:20:30.123Z"],
            ["a clock time", "10:20:30"],
            ["a MAC address", "00:1a:2b:3c:4d:5e"],
            ["a hex digest", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
            ["octets out of range", "256.1.1.1"],
            ["leading zeros", "010.001.002.003"],
            ["a C++-like name", "Foo::Bar"],
            ["an empty string", ""],
        ];
        for (const [what, text] of notAddresses) {
            it(`${what}: ${JSON.stringify(text)}`, () => {
                assert.deepEqual(literalsIn(text), []);
            });
        }
    });

    it("stays linear on a string of many addresses", () => {
        const many = "10.0.0.1 ::ffff:10.0.0.2 ".repeat(20_000);
        const started = Date.now();
        assert.equal(findIpLiterals(many).length, 40_000);
        assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
    });

    describe("parseCidr and isWithin", () => {
        it("parses addresses and blocks, rejects the rest", () => {
            assert.deepEqual(parseCidr("10.0.0.0/8"), { literal: "10.0.0.0/8", address: "10.0.0.0", version: 4, prefixLength: 8 });
            assert.equal(parseCidr("2001:db8::1")?.version, 6);
            assert.equal(parseCidr("10.0.0.0/33"), undefined);
            assert.equal(parseCidr("10.0.0.0/8/1"), undefined);
            assert.equal(parseCidr("10.0.0.0/x"), undefined);
            assert.equal(parseCidr("example.com"), undefined);
        });

        it("tells whether a literal lies inside a block", () => {
            const block = parseCidr("10.0.0.0/8")!;
            assert.equal(isWithin(parseCidr("10.2.3.4")!, block), true);
            assert.equal(isWithin(parseCidr("10.2.0.0/16")!, block), true);
            assert.equal(isWithin(parseCidr("10.0.0.0/7")!, block), false);
            assert.equal(isWithin(parseCidr("11.0.0.1")!, block), false);
            assert.equal(isWithin(parseCidr("2001:db8::1")!, block), false);
            assert.equal(isWithin(parseCidr("2001:db8::1")!, parseCidr("2001:db8::/32")!), true);
            assert.equal(isWithin(parseCidr("10.0.0.1")!, parseCidr("10.0.0.1")!), true);
        });
    });
});

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
