/**
 * Finding IPv4 and IPv6 address literals in free text — bare, with a prefix length, inside a URL
 * or as `host:port` — without mistaking versions (`10.20.3`), image tags (`node:22.11.0`), ARNs,
 * decimals, timestamps, MAC addresses or hex strings for addresses.
 *
 * Candidates are cut out with deliberately loose patterns bounded so that they cannot start or end
 * inside a longer word or number, and every candidate is then confirmed by `node:net`'s `isIP`.
 */
import { BlockList, isIP } from "node:net";

export interface IpLiteral {
    /** The text as written: `10.0.0.0/16`, `2001:db8::1`. */
    literal: string;
    address: string;
    version: 4 | 6;
    /** The `/n` suffix, when the literal is a CIDR block. */
    prefixLength?: number;
}

// Four dotted numbers, not preceded by a word character or a dot (so not the tail of
// `1.2.3.4.5` or `v1.2.3.4`) and not followed by one or by `.digit` (so not the head of
// `1.2.3.4.5`). A port (`:8080`), a path (`/x`) or a closing quote may follow.
const IPV4_CANDIDATE = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?(?![\w]|\.\d)/g;

// A run of hex digits, colons and dots containing at least two colons, bounded by anything but
// those characters and word characters (so `urn:pulumi:dev::proj`, `sha256:…` and ARNs, whose
// colon runs start inside a word, are never candidates). `[2001:db8::1]:443` is matched between
// its brackets.
const IPV6_CANDIDATE = /(?<![\w:.])([0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)(?:\/(\d{1,3}))?(?![\w:])/g;

/** Every address literal in `text`, in order of appearance. */
export function findIpLiterals(text: string): IpLiteral[] {
    const ipv6Spans: { start: number; end: number; literal: IpLiteral }[] = [];
    for (const match of text.matchAll(IPV6_CANDIDATE)) {
        const address = match[1].replace(/\.+$/, ""); // a sentence's full stop is not part of it
        if (/[0-9A-Fa-f]/.test(address) && isIP(address) === 6) {
            const literal = withPrefix(address, address === match[1] ? match[2] : undefined, 6) ?? withPrefix(address, undefined, 6);
            ipv6Spans.push({ start: match.index, end: match.index + match[0].length, literal });
        }
    }
    const found: { start: number; literal: IpLiteral }[] = [...ipv6Spans];
    // Both passes run left to right, so one cursor over the IPv6 spans suffices (linear, not quadratic).
    let span = 0;
    for (const match of text.matchAll(IPV4_CANDIDATE)) {
        const start = match.index;
        // Stryker disable next-line EqualityOperator: no IPv4 match starts where an IPv6 match ends (no digit follows one)
        while (span < ipv6Spans.length && ipv6Spans[span].end <= start) {
            span++;
        }
        // `::ffff:10.0.0.1` was already found whole as an IPv6 address.
        // Stryker disable next-line EqualityOperator: no IPv4 match starts where an IPv6 match does (no IPv6 address starts with a dotted quad)
        if (span < ipv6Spans.length && ipv6Spans[span].start <= start) {
            continue;
        }
        if (isIP(match[1]) === 4) {
            // An impossible prefix length (`/33`) leaves the address itself, which is still a literal.
            const literal = withPrefix(match[1], match[2], 4) ?? withPrefix(match[1], undefined, 4);
            found.push({ start, literal });
        }
    }
    return found.sort((a, b) => a.start - b.start).map((f) => f.literal);
}

function withPrefix(address: string, prefix: undefined, version: 4 | 6): IpLiteral;
function withPrefix(address: string, prefix: string | undefined, version: 4 | 6): IpLiteral | undefined;
function withPrefix(address: string, prefix: string | undefined, version: 4 | 6): IpLiteral | undefined {
    if (prefix === undefined) {
        return { literal: address, address, version };
    }
    const prefixLength = Number(prefix);
    if (prefixLength > (version === 4 ? 32 : 128)) {
        return undefined;
    }
    return { literal: `${address}/${prefixLength}`, address, version, prefixLength };
}

/** A CIDR block (`10.0.0.0/8`) or a single address, parsed; undefined if it is neither. */
export function parseCidr(text: string): IpLiteral | undefined {
    const [address, prefix, ...rest] = text.trim().split("/");
    const version = isIP(address);
    if (rest.length > 0 || (version !== 4 && version !== 6)) {
        return undefined;
    }
    if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) {
        return undefined;
    }
    return withPrefix(address, prefix, version === 4 ? 4 : 6);
}

/** True when every address of `literal` lies inside `cidr` (both parsed with `parseCidr`). */
export function isWithin(literal: IpLiteral, cidr: IpLiteral): boolean {
    if (literal.version !== cidr.version) {
        return false;
    }
    const hostBits = literal.version === 4 ? 32 : 128;
    const family = literal.version === 4 ? "ipv4" : "ipv6";
    const blocks = new BlockList();
    blocks.addSubnet(cidr.address, cidr.prefixLength ?? hostBits, family);
    return (literal.prefixLength ?? hostBits) >= (cidr.prefixLength ?? hostBits) && blocks.check(literal.address, family);
}
