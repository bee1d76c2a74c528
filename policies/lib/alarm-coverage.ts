/**
 * Which metrics of which resources the stack's CloudWatch metric alarms watch, computed once per
 * stack policy call on top of `StackIndex`.
 */
import { AwsType } from "./aws-types";
import { StackIndex } from "./stack";
import { asArray, isRecord, isUnknown, knownString, PlainRecord } from "./values";

/** Stands for a metric name (or namespace) not known until deploy time: it may be any. */
export const ANY_METRIC = "*";

export interface AlarmCoverage {
    /** Target URN → metric names alarmed on for it (`ANY_METRIC` when a name is unknown). */
    byTarget: Map<string, Set<string>>;
    /** Metric names of alarms whose target is unknown and unresolvable: they may watch any target. */
    anyTarget: Set<string>;
}

export interface AlarmTarget {
    /** `AWS/SQS`, `AWS/Lambda`. */
    namespace: string;
    /** The dimension naming the target: `QueueName`, `FunctionName`. */
    dimension: string;
    /** Types of the resources that dimension names. */
    types: readonly string[];
}

/** True when `coverage` has an alarm on `metricName` that is (or may be) about `urn`. */
export function isAlarmed(coverage: AlarmCoverage, urn: string, metricName: string): boolean {
    const watched = (metrics: Set<string> | undefined) => metrics !== undefined && (metrics.has(metricName) || metrics.has(ANY_METRIC));
    return watched(coverage.byTarget.get(urn)) || watched(coverage.anyTarget);
}

/**
 * The metric alarms of the stack on `target.namespace`, by the resource their `target.dimension`
 * names. Both forms of alarm count: a single metric (`namespace`, `metricName`, `dimensions`)
 * and metric math (`metricQueries[].metric`).
 */
// Stryker disable next-line ArrayDeclaration: an alternative spelling is tried only after the value named nothing, and no identifier is the mutant's placeholder
export function alarmCoverage(index: StackIndex, target: AlarmTarget, alternativesOf: (identifier: string) => string[] = () => []): AlarmCoverage {
    const coverage: AlarmCoverage = { byTarget: new Map(), anyTarget: new Set() };
    for (const alarm of index.ofType(AwsType.MetricAlarm)) {
        for (const metric of watchedMetrics(alarm.props)) {
            if (!mayEqual(metric.namespace, target.namespace)) {
                continue;
            }
            const metricName = knownString(metric.metricName) ?? (isUnknown(metric.metricName) ? ANY_METRIC : undefined);
            if (metricName === undefined) {
                continue;
            }
            const dimensionValue = isUnknown(metric.dimensions) ? metric.dimensions : isRecord(metric.dimensions) ? metric.dimensions[target.dimension] : undefined;
            const known = knownString(dimensionValue);
            // Stryker disable next-line ArrayDeclaration: an alternative spelling is tried only after the value named nothing, and no identifier is the mutant's placeholder
            const reference = index.resolve(alarm, metric.property, dimensionValue, target.types, known ? alternativesOf(known) : []);
            if (reference.kind === "resources") {
                for (const resource of reference.targets) {
                    const metrics = coverage.byTarget.get(resource.urn) ?? new Set<string>();
                    metrics.add(metricName);
                    coverage.byTarget.set(resource.urn, metrics);
                }
            } else if (reference.kind === "unresolved") {
                coverage.anyTarget.add(metricName);
            }
        }
    }
    return coverage;
}

interface WatchedMetric {
    namespace: unknown;
    metricName: unknown;
    dimensions: unknown;
    /** The alarm's top-level property the metric is read from, whose dependencies resolve unknown dimensions. */
    property: "dimensions" | "metricQueries";
}

function watchedMetrics(alarm: PlainRecord): WatchedMetric[] {
    const metrics: WatchedMetric[] = [];
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a shortcut; alarmCoverage skips a metric without a namespace or a metric name anyway
    if (alarm.metricName !== undefined || alarm.namespace !== undefined) {
        metrics.push({ namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions, property: "dimensions" });
    }
    // Stryker disable next-line ConditionalExpression: a known metricQueries as a metric has no AWS/… namespace, so alarmCoverage skips it
    if (isUnknown(alarm.metricQueries)) {
        metrics.push({ namespace: alarm.metricQueries, metricName: alarm.metricQueries, dimensions: alarm.metricQueries, property: "metricQueries" });
    }
    for (const query of asArray(alarm.metricQueries)) {
        const metric = isUnknown(query) ? query : isRecord(query) ? query.metric : undefined;
        if (isUnknown(metric)) {
            metrics.push({ namespace: metric, metricName: metric, dimensions: metric, property: "metricQueries" });
        } else if (isRecord(metric)) {
            metrics.push({ namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions, property: "metricQueries" });
        }
    }
    return metrics;
}

/** True when `value` is `expected`, or unknown (it may turn out to be). */
function mayEqual(value: unknown, expected: string): boolean {
    return isUnknown(value) || value === expected;
}
