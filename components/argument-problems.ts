import * as pulumi from "@pulumi/pulumi";

/**
 * A problem with one argument: its name, what is wrong with it and, when the problem is one part of
 * an object argument (a key of a filter policy), the path to that part. A component states each of
 * its rules once, as a function returning these: its `validate` reports them by argument, and the
 * stack config's loader by the config key of the same name, in the same words.
 */
export type ArgumentProblem<Args> = [argument: keyof Args & string, problem: string, within?: readonly (string | number)[]];

/** The part of `value` at `path` inside it: the value itself for an empty path, undefined where the path leads nowhere. */
export function partAt(value: unknown, path: readonly (string | number)[]): unknown {
    return path.reduce<unknown>((part, segment) => (part as Record<string | number, unknown> | null | undefined)?.[segment], value);
}

/** How every whole-number range is worded, by the components and the config loader alike. */
export function wholeNumberFromTo(min: number, max: number): string {
    return `must be a whole number from ${min} to ${max}`;
}

/** What is wrong with `value` as a whole number from `min` to `max`, if anything. */
export function wholeNumberProblem(value: number, min: number, max: number): string | undefined {
    return Number.isInteger(value) && value >= min && value <= max ? undefined : wholeNumberFromTo(min, max);
}

/**
 * Throws one `pulumi.RunError` (printed without a stack trace) naming the component and, for each
 * problem, the argument, its value and what is wrong with it; returns when there is none.
 */
export function rejectArguments<Args>(component: string, name: string, args: Args, problems: ArgumentProblem<Args>[]): void {
    if (problems.length > 0) {
        const described = problems.map(
            ([argument, problem, within = []]) => `${argument}${within.map(pathSegment).join("")} ${shown(partAt(args[argument], within))} ${problem}`,
        );
        throw new pulumi.RunError(`${component} ${name}: ${described.join("; ")}`);
    }
}

/** A path inside an argument as it is written in code: `.key`, `[index]`. */
function pathSegment(segment: string | number): string {
    return typeof segment === "number" ? `[${segment}]` : `.${segment}`;
}

/** Objects (a filter policy) as JSON; numbers as JavaScript writes them, so NaN stays NaN. */
function shown(value: unknown): string {
    return typeof value === "object" ? JSON.stringify(value) : String(value);
}
