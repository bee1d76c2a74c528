/**
 * The check's fixed monthly cost on this project's stacks, against a calculation written out here
 * from the price files, and dev's budget (policies/config/dev.json) against what one more consumer
 * of each kind would add.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FixedCostEstimate } from "../../../policies/lib/fixed-cost";
import { PRICE_FILES } from "../../../policies/lib/prices";
import { costLines, costReport, estimateRecorded } from "../../../tools/check/cost";
import type { ProgramRun, RecordedResource } from "../../../tools/mock-runtime";
import { THIS_PROJECT_ROOT } from "../../../tools/project";
import { sharedStackRun } from "../../support/stack-runs";

const HOURS = 730;
const US = PRICE_FILES["us-east-1"].prices;
const EU = PRICE_FILES["eu-west-1"].prices;

function assertUsd(actual: number, expected: number) {
    assert.equal(Math.round(actual * 1e6), Math.round(expected * 1e6), `${actual} ≠ ${expected}`);
}

/** type → total quantity of the items that cost something while idle. */
function fixedQuantities(estimate: FixedCostEstimate): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const item of estimate.items.filter((i) => i.basis === "fixed")) {
        const key = `${item.type} ${item.unit}`;
        totals[key] = (totals[key] ?? 0) + item.quantity;
    }
    return totals;
}

/** The resources under the components named `consumer` (its queue and its function or service). */
function consumerUrns(run: ProgramRun, consumer: string): Set<string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const roots = new Set(run.resources.filter((r) => r.name === consumer && r.type.startsWith("event-pipeline:")).map((r) => r.urn));
    const under = (r: RecordedResource | undefined): boolean => r !== undefined && (roots.has(r.urn) || under(r.parent === undefined ? undefined : byUrn.get(r.parent)));
    return new Set(run.resources.filter((r) => under(r)).map((r) => r.urn));
}

describe("check: the fixed monthly cost of this project's stacks", function () {
    this.timeout(120_000);
    let dev: ProgramRun;
    let prod: ProgramRun;

    before(async () => {
        dev = await sharedStackRun("dev");
        prod = await sharedStackRun("prod");
    });

    it("dev (us-east-1): a dashboard, the alarm topic's KMS key and 13 alarm metrics; no NAT gateway, no task while idle", () => {
        const estimate = estimateRecorded(dev.resources);
        // 11 alarms: order-audit's age, dead letters, errors, throttles (4); order-fulfilment's age, dead letters, backlog, CPU,
        // memory (5) and idle (metric math on 2 metrics); the idempotency table's throttles (metric math on 2 metrics).
        const alarmMetrics = 4 + 5 + 2 + 2;
        assertUsd(estimate.monthly, US.dashboard.usd + US.kmsKey.usd + alarmMetrics * US.alarmMetricStandard.usd);
        assertUsd(estimate.monthly, 5.3);
        assert.deepEqual(fixedQuantities(estimate), {
            "aws:cloudwatch/dashboard:Dashboard dashboard": 1,
            "aws:cloudwatch/metricAlarm:MetricAlarm alarm metric": alarmMetrics,
            "aws:kms/key:Key key": 1,
        });
        assert.deepEqual(estimate.unpriced, []);
        assert.deepEqual(estimate.regions, ["us-east-1"]);
    });

    it("prod (eu-west-1): 3 NAT gateways and their Elastic IPs, 2 worker tasks of 0.5 vCPU and 1 GB, the key, the dashboard, 17 alarm metrics", () => {
        const estimate = estimateRecorded(prod.resources);
        const alarmMetrics = 4 + 4 + (5 + 2) + 2; // order-audit, invoice-render, order-fulfilment (idle: 2 metrics), the table's throttles (2)
        const expected =
            3 * EU.natGateway.usd * HOURS +
            3 * EU.publicIpv4Address.usd * HOURS +
            2 * 0.5 * EU.fargateVcpuLinuxX86.usd * HOURS +
            2 * 1 * EU.fargateGbLinuxX86.usd * HOURS +
            EU.kmsKey.usd +
            EU.dashboard.usd +
            alarmMetrics * EU.alarmMetricStandard.usd;
        assertUsd(estimate.monthly, expected);
        assertUsd(estimate.monthly, 157.8101);
        assert.deepEqual(fixedQuantities(estimate), {
            "aws:cloudwatch/dashboard:Dashboard dashboard": 1,
            "aws:cloudwatch/metricAlarm:MetricAlarm alarm metric": alarmMetrics,
            "aws:ec2/eip:Eip public IPv4 address": 3,
            "aws:ec2/natGateway:NatGateway NAT gateway": 3,
            "aws:ecs/service:Service GB": 2,
            "aws:ecs/service:Service vCPU": 1,
            "aws:kms/key:Key key": 1,
        });
        assert.deepEqual(estimate.regions, ["eu-west-1"]);
    });

    it("dev's budget leaves room for one more consumer of each kind, and none for anything that idles at a cost of its own", () => {
        const config = JSON.parse(fs.readFileSync(path.join(THIS_PROJECT_ROOT, "policies", "config.dev.json"), "utf8")) as Record<string, { maxMonthlyUsd?: number }>;
        const budget = config["stack-fixed-cost-budget"].maxMonthlyUsd!;
        const estimate = estimateRecorded(dev.resources);
        // What dev's one Lambda consumer and one ECS consumer cost is what one more of each would add (the network, table, topics and dashboard are shared).
        const perConsumer = (consumer: string) => {
            const urns = consumerUrns(dev, consumer);
            return estimate.items.filter((item) => urns.has(item.urn)).reduce((sum, item) => sum + item.monthly, 0);
        };
        const lambda = perConsumer("order-audit");
        const ecs = perConsumer("order-fulfilment");
        assertUsd(lambda, 4 * US.alarmMetricStandard.usd);
        assertUsd(ecs, 7 * US.alarmMetricStandard.usd); // its tasks: 0 while idle (worker.minTasks 0)
        assert.ok(estimate.monthly + lambda + ecs <= budget, `dev ${estimate.monthly} + ${lambda} + ${ecs} > ${budget}`);
        assert.ok(budget < estimate.monthly + lambda + ecs + US.publicIpv4Address.usd * HOURS, "a public IPv4 address more would still pass");
    });

    it("--json's cost: exactly currency, monthly, items of the seven keys and unpriced; monthly the sum of the items", () => {
        const report = costReport(estimateRecorded(prod.resources));
        assert.deepEqual(Object.keys(report), ["currency", "monthly", "items", "unpriced"]);
        for (const item of report.items) {
            assert.deepEqual(Object.keys(item), ["urn", "type", "description", "quantity", "unit", "unitPrice", "monthly"]);
            assertUsd(item.monthly, item.quantity * item.unitPrice);
        }
        assertUsd(report.monthly, report.items.reduce((sum, item) => sum + item.monthly, 0));
        const nat = report.items.find((item) => item.type === "aws:ec2/natGateway:NatGateway")!;
        assert.deepEqual([nat.urn, nat.quantity, nat.unitPrice, nat.monthly], ["urn:pulumi:prod::event-pipeline::event-pipeline:network:Network$awsx:ec2:Vpc::network", 3, 35.04, 105.12]);
    });

    it("the summary's last lines: the items largest first, many alike in one line, the $0 resources by type, the total", () => {
        const lines = costLines(estimateRecorded(dev.resources));
        assert.equal(lines[0], "Fixed monthly cost, before any traffic (list prices in USD, us-east-1; free tiers are per account and not deducted):");
        assert.match(lines[1], /^ {2}\$3\.00 {2}dashboard +1 dashboard × \$3\.00 +CloudWatch dashboard$/);
        assert.match(lines[2], /^ {2}\$1\.30 {2}11 resources +13 alarm metrics × \$0\.10 +11 × aws:cloudwatch\/metricAlarm:MetricAlarm$/);
        assert.match(lines[3], /^ {2}\$1\.00 {2}alarms-key +1 key × \$1\.00 +customer-managed KMS key/);
        assert.match(lines[4], /^ {2}\$0 fixed, priced by use \(requests, duration, storage, data\): .*1 × aws:ecs\/service:Service.*4 × aws:sqs\/queue:Queue/);
        assert.match(lines[5], /^ {2}\$0, no charge: .*3 × aws:iam\/role:Role/);
        assert.equal(lines.at(-1), "  total $5.30 a month");
    });
});
