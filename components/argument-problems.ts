import * as pulumi from "@pulumi/pulumi";

/**
 * A problem with one argument: its name and what is wrong with it. A component states each of its
 * rules once, as a function returning these: its `validate` reports them by argument, and the stack
 * config's loader by the config key of the same name, in the same words.
 */
export type ArgumentProblem<Args> = [keyof Args & string, string];

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
        const described = problems.map(([argument, problem]) => `${argument} ${shown(args[argument])} ${problem}`);
        throw new pulumi.RunError(`${component} ${name}: ${described.join("; ")}`);
    }
}

/** Objects (a filter policy) as JSON; numbers as JavaScript writes them, so NaN stays NaN. */
function shown(value: unknown): string {
    return typeof value === "object" ? JSON.stringify(value) : String(value);
}
