/**
 * Which metrics of which resources the stack's CloudWatch metric alarms watch, computed once per
 * stack policy call on top of `StackIndex`.
 */
import { namedResource, sameLocation } from "./aws-identifiers";
import { AwsType } from "./aws-types";
import { IndexedResource, StackIndex } from "./stack";
import { asArray, isRecord, isUnknown, knownString, PlainRecord } from "./values";

/** Stands for a metric name (or namespace) not known until deploy time: it may be any. */
export const ANY_METRIC = "*";

export interface AlarmCoverage {
    /** Target URN → metric names alarmed on for it (`ANY_METRIC` when a name is unknown). */
    byTarget: Map<string, Set<string>>;
    /** Metric names of alarms whose target is unknown and unresolvable: they may watch any target. */
    anyTarget: Set<string>;
    /** Target URN → names of the alarms whose dimension holds the target's URL or ARN instead of its name: they watch nothing. */
    misdimensioned: Map<string, string[]>;
}

export interface AlarmTarget {
    /** `AWS/SQS`, `AWS/Lambda`. */
    namespace: string;
    /** The dimension naming the target: `QueueName`, `FunctionName`. */
    dimension: string;
    /** A dimension naming a version or alias of the target as `name:qualifier` (Lambda's `Resource`), read when `dimension` is absent. */
    qualifiedDimension?: string;
    /** The type of the resources that dimension names. */
    type: string;
}

/** True when `coverage` has an alarm on `metricName` that is (or may be) about `urn`. */
export function isAlarmed(coverage: AlarmCoverage, urn: string, metricName: string): boolean {
    const watched = (metrics: Set<string> | undefined) => metrics !== undefined && (metrics.has(metricName) || metrics.has(ANY_METRIC));
    return watched(coverage.byTarget.get(urn)) || watched(coverage.anyTarget);
}

/**
 * The metric alarms of the stack on `target.namespace`, by the resource whose metrics CloudWatch
 * would give them: their `target.dimension` must be that resource's *name* (in the alarm's
 * region), as CloudWatch matches dimensions by value. A dimension holding the resource's URL or
 * ARN matches no metric: the alarm watches nothing (`misdimensioned`). An unknown dimension is
 * related through the alarm's dependencies; a known one that names nothing may still be the name
 * of a resource it depends on whose name is not known yet. Both forms of alarm count: a single
 * metric (`namespace`, `metricName`, `dimensions`) and metric math (`metricQueries[].metric`).
 */
export function alarmCoverage(index: StackIndex, target: AlarmTarget): AlarmCoverage {
    const coverage: AlarmCoverage = { byTarget: new Map(), anyTarget: new Set(), misdimensioned: new Map() };
    for (const alarm of index.ofType(AwsType.MetricAlarm)) {
        for (const metric of watchedMetrics(alarm.props)) {
            if (!mayEqual(metric.namespace, target.namespace)) {
                continue;
            }
            const metricName = knownString(metric.metricName) ?? (isUnknown(metric.metricName) ? ANY_METRIC : undefined);
            if (metricName === undefined) {
                continue;
            }
            const watched = watchedResources(index, alarm, metric, target);
            if (watched.kind === "resources") {
                for (const resource of watched.targets) {
                    const metrics = coverage.byTarget.get(resource.urn) ?? new Set<string>();
                    metrics.add(metricName);
                    coverage.byTarget.set(resource.urn, metrics);
                }
            } else if (watched.kind === "unresolved") {
                coverage.anyTarget.add(metricName);
            } else if (watched.kind === "misdimensioned") {
                for (const resource of watched.targets) {
                    const alarms = coverage.misdimensioned.get(resource.urn) ?? [];
                    coverage.misdimensioned.set(resource.urn, alarms.includes(alarm.name) ? alarms : [...alarms, alarm.name]);
                }
            }
        }
    }
    return coverage;
}

type Watched = { kind: "resources" | "misdimensioned"; targets: IndexedResource[] } | { kind: "unresolved" } | { kind: "none" };

function watchedResources(index: StackIndex, alarm: IndexedResource, metric: WatchedMetric, target: AlarmTarget): Watched {
    const { dimensions } = metric;
    // The qualified dimension counts only where the plain one is absent (no key of a record is "undefined" either).
    const qualified = isRecord(dimensions) && !(target.dimension in dimensions) && target.qualifiedDimension !== undefined;
    const value = isUnknown(dimensions) ? dimensions : isRecord(dimensions) ? dimensions[qualified ? target.qualifiedDimension! : target.dimension] : undefined;
    if (isUnknown(value)) {
        const targets = index.dependencies(alarm, metric.property, [target.type]);
        return targets.length > 0 ? { kind: "resources", targets } : { kind: "unresolved" };
    }
    const known = knownString(value);
    if (!known) {
        return { kind: "none" };
    }
    const alarmLocation = index.locationOf(alarm);
    const name = qualified ? known.split(":")[0] : known;
    const named = index.named(name, [target.type]).filter((resource) => sameLocation(alarmLocation, index.locationOf(resource)));
    if (named.length > 0) {
        return { kind: "resources", targets: named };
    }
    // The resource's URL or ARN (any spelling of it) is not its name: CloudWatch matches nothing.
    const identified = namedResource(known);
    const misnamed = identified?.type === target.type && identified.name !== known ? index.named(identified.name, [target.type]) : [];
    if (misnamed.length > 0) {
        return { kind: "misdimensioned", targets: misnamed };
    }
    // A name not known yet may turn out to be this one.
    return { kind: "resources", targets: index.dependencies(alarm, metric.property, [target.type]).filter((resource) => knownString(resource.props.name) === undefined) };
}

interface WatchedMetric {
    namespace: unknown;
    metricName: unknown;
    dimensions: unknown;
    /** The alarm's top-level property the metric is read from, whose dependencies resolve unknown dimensions. */
    property: "dimensions" | "metricQueries";
}

function watchedMetrics(alarm: PlainRecord): WatchedMetric[] {
    const metrics: WatchedMetric[] = [{ namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions, property: "dimensions" }];
    // An unknown metricQueries is one unknown query: it may be about any metric.
    const queries = isUnknown(alarm.metricQueries) ? [alarm.metricQueries] : asArray(alarm.metricQueries);
    for (const query of queries) {
        const metric = isUnknown(query) ? query : isRecord(query) ? query.metric : undefined;
        if (isUnknown(metric)) {
            metrics.push({ namespace: metric, metricName: metric, dimensions: metric, property: "metricQueries" });
        } else if (isRecord(metric)) {
            metrics.push({ namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions, property: "metricQueries" });
        }
    }
    return metrics;
}

/**
 * What to tell about the alarms of `urn` that watch nothing because their dimension holds an
 * identifier instead of the name (empty when there are none): ` (alarm 'x' watches nothing: …)`.
 */
export function misdimensionedNote(coverage: AlarmCoverage, resource: IndexedResource, dimension: string, noun: string, instead: string): string {
    const alarms = coverage.misdimensioned.get(resource.urn) ?? [];
    if (alarms.length === 0) {
        return "";
    }
    // Found by the name its URL or ARN carries: the name is known.
    const which = alarms.map((alarm) => `'${alarm}'`).join(", ");
    return (
        ` (alarm${alarms.length > 1 ? "s" : ""} ${which} ${alarms.length > 1 ? "watch" : "watches"} nothing: the ${dimension} dimension must be ` +
        `the ${noun}'s name, ${String(resource.props.name)}, not its ${instead})`
    );
}

/** True when `value` is `expected`, or unknown (it may turn out to be). */
function mayEqual(value: unknown, expected: string): boolean {
    return isUnknown(value) || value === expected;
}
