import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { isCalendarDate } from "../../../policies/lib/exemptions";
import { FALLBACK_REGION, HOURS_PER_MONTH, money, monthlyPrice, Price, PRICE_FILES, pricesFor } from "../../../policies/lib/prices";

const PRICE_DIRECTORY = path.resolve(__dirname, "../../../policies/lib/prices");

function everyPrice(region: string): [string, Price][] {
    const file = PRICE_FILES[region];
    return [...Object.entries(file.prices), ...Object.entries(file.ec2Instances).map(([type, price]): [string, Price] => [`ec2Instances.${type}`, price])];
}

describe("policies/lib/prices", () => {
    it("has one file per region the stacks are deployed to, each naming its region, every one of them loaded", () => {
        const files = fs.readdirSync(PRICE_DIRECTORY).filter((file) => file.endsWith(".json")).sort();
        assert.deepEqual(files, ["eu-west-1.json", "us-east-1.json"]);
        assert.deepEqual(Object.keys(PRICE_FILES).sort(), ["eu-west-1", "us-east-1"]);
        for (const [region, file] of Object.entries(PRICE_FILES)) {
            assert.equal(file.region, region);
            assert.equal(file.currency, "USD");
        }
        for (const stackFile of fs.readdirSync(path.resolve(__dirname, "../../..")).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))) {
            const region = /aws:region:\s*(\S+)/.exec(fs.readFileSync(path.resolve(__dirname, "../../..", stackFile), "utf8"))?.[1];
            assert.ok(region && PRICE_FILES[region], `${stackFile} deploys to ${region}, which has no price file`);
        }
    });

    it("prices the same things in every region", () => {
        const keys = (region: string) => everyPrice(region).map(([key]) => key);
        assert.deepEqual(keys("eu-west-1"), keys("us-east-1"));
    });

    for (const region of Object.keys(PRICE_FILES)) {
        it(`${region}: every price is positive, per hour or month, with its page, the day it was checked and whether a stored copy confirmed it`, () => {
            for (const [key, price] of everyPrice(region)) {
                assert.ok(typeof price.usd === "number" && price.usd > 0, `${key}: usd`);
                assert.ok(price.per === "hour" || price.per === "month", `${key}: per`);
                assert.match(price.source, /^https:\/\/aws\.amazon\.com\/\S+$/, `${key}: source`);
                assert.ok(isCalendarDate(price.checked), `${key}: checked`);
                assert.equal(typeof price.verified, "boolean", `${key}: verified`);
                assert.ok(price.unit.trim() !== "" && price.note.trim() !== "", `${key}: unit and note`);
                assert.equal(/^not verified/.test(price.note), !price.verified, `${key}: the note says whether it was verified`);
            }
        });
    }

    it("holds the issue's starting points (us-east-1 unless said)", () => {
        const us = PRICE_FILES["us-east-1"].prices;
        const eu = PRICE_FILES["eu-west-1"].prices;
        assert.deepEqual(
            [us.natGateway.usd, eu.natGateway.usd, us.publicIpv4Address.usd, us.kmsKey.usd, us.alarmMetricStandard.usd, us.dashboard.usd, us.fargateVcpuLinuxX86.usd, us.fargateGbLinuxX86.usd],
            [0.045, 0.048, 0.005, 1, 0.1, 3, 0.04048, 0.004445],
        );
        assert.equal(HOURS_PER_MONTH, 730);
    });

    it("prices a month: hourly × 730 hours, exactly as a decimal", () => {
        const hourly = PRICE_FILES["us-east-1"].prices.natGateway;
        assert.equal(monthlyPrice(hourly), 32.85);
        assert.equal(monthlyPrice(PRICE_FILES["us-east-1"].prices.fargateVcpuLinuxX86), 29.5504);
        assert.equal(monthlyPrice(PRICE_FILES["us-east-1"].prices.kmsKey), 1);
        assert.equal(money(0.1 + 0.2), 0.3);
    });

    it("stands us-east-1's prices in for a region without a file, and says why", () => {
        assert.deepEqual(pricesFor("eu-west-1"), { prices: PRICE_FILES["eu-west-1"] });
        assert.deepEqual(pricesFor("ap-south-1"), { prices: PRICE_FILES[FALLBACK_REGION], fallbackNote: "us-east-1 prices: no price file for ap-south-1" });
        assert.deepEqual(pricesFor(undefined), { prices: PRICE_FILES[FALLBACK_REGION], fallbackNote: "us-east-1 prices: region not known" });
        assert.equal(pricesFor("constructor").fallbackNote, "us-east-1 prices: no price file for constructor");
    });
});
