import type { StackValidationPolicy } from "@pulumi/policy";
import { estimateFixedCost, formatUsd, largestItems } from "../lib/fixed-cost";
import { StackIndex } from "../lib/stack";
import { knownNumber } from "../lib/values";

export interface StackFixedCostBudgetArgs {
    /** The most the stack may cost a month before any traffic, in USD; unset: the policy does not apply. */
    maxMonthlyUsd?: number;
}

/**
 * Compliant: the stack's fixed monthly cost (`lib/fixed-cost.ts`: list prices, no traffic) is at
 * most config `maxMonthlyUsd`. Without a budget the policy does not apply. A count not known yet is
 * priced at its lower bound, so an unknown value never makes the stack exceed its budget.
 */
export const stackFixedCostBudget: StackValidationPolicy = {
    name: "stack-fixed-cost-budget",
    description:
        "What a stack costs with no traffic at all shows whether it lives up to disposable, nothing-idle infrastructure: NAT " +
        "gateways, public IPv4 addresses, tasks kept running, keys, alarms and dashboards are billed by the hour or the month " +
        "whether or not a single event flows. A budget for that fixed cost stops a change that would quietly add to every month's bill.\n" +
        "AWS documentation: https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxMonthlyUsd: {
                type: "number",
                minimum: 0,
                description: "The most the stack may cost a month before any traffic, in USD (list prices). Unset: the policy does not apply.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        let budget: number | undefined;
        try {
            budget = knownNumber(args.getConfig<StackFixedCostBudgetArgs>()?.maxMonthlyUsd);
        } catch {
            budget = undefined;
        }
        if (budget === undefined) {
            return args.notApplicable("No budget: set maxMonthlyUsd in this policy's config.");
        }
        const estimate = estimateFixedCost(StackIndex.of(args.resources));
        if (estimate.monthly <= budget) {
            return;
        }
        const largest = largestItems(estimate, 3);
        const items = largest.map((item) => `${item.urn.split("::").slice(3).join("::")} (${item.type}) ${formatUsd(item.monthly)}`);
        const regions = estimate.regions.join(", ");
        reportViolation(
            `The stack's fixed monthly cost is ${formatUsd(estimate.monthly)} (list prices in ${regions}, before any traffic), ` +
                `above the budget of ${formatUsd(budget)} set by maxMonthlyUsd. The largest items: ${items.join(", ")}. ` +
                "Remove or shrink what idles at a cost (a NAT gateway, a task kept running, a public IPv4 address), or raise maxMonthlyUsd " +
                "if the cost is intended; `npm run check` itemises the estimate.",
            // Reported against the largest item's resource: that is where the program spends most.
            largest[0]?.urn,
        );
    },
};
