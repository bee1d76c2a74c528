/**
 * The list prices the fixed-cost estimate uses: one data file per region the stacks here are
 * deployed to (`prices/<region>.json`), each price with the page it comes from, the day it was
 * checked and whether a stored copy of that page confirmed it. They are imported, so `tsc` copies
 * them into `bin/` and the pack reads them offline, from its own folder, wherever the CLI runs it.
 */
import euWest1 from "./prices/eu-west-1.json";
import usEast1 from "./prices/us-east-1.json";

/** AWS's own convention for a month of hourly charges (the pricing pages' examples use it). */
export const HOURS_PER_MONTH = 730;

/** The region whose prices stand in for a region without a file of its own. */
export const FALLBACK_REGION = "us-east-1";

export interface Price {
    /** USD per `per`. */
    usd: number;
    per: "hour" | "month";
    /** What one unit of `usd` buys, as the pricing page names it. */
    unit: string;
    /** The AWS pricing page the figure comes from. */
    source: string;
    /** `YYYY-MM-DD`: the day the figure was checked. */
    checked: string;
    /** True only when a stored copy of `source` states the figure. */
    verified: boolean;
    note: string;
}

export type PriceId = keyof typeof usEast1.prices;

export interface PriceFile {
    about: string;
    region: string;
    currency: "USD";
    prices: Record<PriceId, Price>;
    /** Linux on-demand instance prices by instance type; a type not listed is not priced. */
    ec2Instances: Record<string, Price>;
}

/** Every price file, by region. */
export const PRICE_FILES: Readonly<Record<string, PriceFile>> = {
    "us-east-1": usEast1 as PriceFile,
    "eu-west-1": euWest1 as PriceFile,
};

/** The prices for `region`, and when they are another region's, the words that say so. */
export function pricesFor(region: string | undefined): { prices: PriceFile; fallbackNote?: string } {
    // Own properties only: a region called "constructor" has no file either.
    if (region !== undefined && Object.prototype.hasOwnProperty.call(PRICE_FILES, region)) {
        return { prices: PRICE_FILES[region] };
    }
    const why = region === undefined ? "region not known" : `no price file for ${region}`;
    return { prices: PRICE_FILES[FALLBACK_REGION], fallbackNote: `${FALLBACK_REGION} prices: ${why}` };
}

/** The price of one unit for a month: an hourly price × 730 hours. */
export function monthlyPrice(price: Price): number {
    return money(price.per === "hour" ? price.usd * HOURS_PER_MONTH : price.usd);
}

/**
 * An amount in USD rounded to 1e-9: products of decimal prices come out as their decimal value
 * (0.045 × 730 is 32.85, not 32.849999999999994), so sums and JSON stay exact and stable.
 */
export function money(amount: number): number {
    return Number(amount.toFixed(9));
}
