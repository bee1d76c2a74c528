/**
 * Scaled-down time, so that a run takes seconds rather than the minutes the program's timeouts
 * would take (a poison message needs maxReceiveCount × the visibility timeout to reach its
 * dead-letter queue). Every duration the program declares is divided by one factor, so their
 * ratios stay as declared — except where SQS and the worker count whole seconds: a value that
 * would fall between whole seconds is rounded up, and the scale says so.
 */
import { consumerQueue, type Topology } from "./topology";

export interface ScaledDuration {
    what: string;
    programSeconds: number;
    /** The local value, in seconds (fractions only where milliseconds are possible). */
    localSeconds: number;
    /** False when rounding up to a whole second changed the ratio to the other durations. */
    exact: boolean;
}

export interface TimeScale {
    /** Program seconds per local second. */
    factor: number;
    /** Whole seconds (≥ 1): SQS visibility timeouts and the worker's own settings. */
    wholeSeconds(what: string, programSeconds: number): ScaledDuration;
    /** Milliseconds, where the driver itself keeps the time (Lambda timeout, batching window, heartbeat). */
    milliseconds(what: string, programSeconds: number): ScaledDuration;
    /** Every duration scaled so far, for the run's output. */
    readonly scaled: ScaledDuration[];
}

/**
 * The default factor: the shortest visibility timeout among the consumers' queues becomes one
 * second, the smallest value SQS accepts, so every visibility timeout that is a multiple of it
 * keeps its exact ratio.
 */
export function defaultFactor(topology: Topology): number {
    const timeouts = topology.consumers.map((c) => consumerQueue(topology, c).visibilityTimeoutSeconds).filter((s) => s > 0);
    return timeouts.length === 0 ? 1 : Math.min(...timeouts);
}

export function createTimeScale(factor: number): TimeScale {
    if (!(factor >= 1) || !Number.isFinite(factor)) {
        throw new RangeError(`The time scale must be a number ≥ 1 (program seconds per local second), got ${factor}`);
    }
    const scaled: ScaledDuration[] = [];
    const remember = (duration: ScaledDuration) => {
        if (!scaled.some((s) => s.what === duration.what)) {
            scaled.push(duration);
        }
        return duration;
    };
    return {
        factor,
        scaled,
        wholeSeconds(what, programSeconds) {
            const exactValue = programSeconds / factor;
            const localSeconds = Math.max(1, Math.ceil(exactValue - 1e-9));
            return remember({ what, programSeconds, localSeconds, exact: Math.abs(localSeconds - exactValue) < 1e-9 });
        },
        milliseconds(what, programSeconds) {
            return remember({ what, programSeconds, localSeconds: Math.round((programSeconds / factor) * 1000) / 1000, exact: true });
        },
    };
}

export function describeScale(scale: TimeScale): string[] {
    const lines = [`Times scaled down ${scale.factor}:1 (1 s here stands for ${scale.factor} s in the program; the ratios between them are kept):`];
    for (const d of scale.scaled) {
        const local = d.localSeconds >= 1 ? `${d.localSeconds} s` : `${Math.round(d.localSeconds * 1000)} ms`;
        const note = d.exact ? "" : ` (rounded up to a whole second, the unit SQS and the worker's settings count in: this ratio is not kept)`;
        lines.push(`  ${d.what}: ${d.programSeconds} s → ${local}${note}`);
    }
    return lines;
}
