import { ArgumentProblem } from "./argument-problems";

/** The values CloudWatch Logs accepts for a log group's `retentionInDays` (0 / unset means never expire). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The argument of the components that create a log group (QueueFunction, QueueWorkerService): what `logRetentionProblems` reads. */
export const LOG_RETENTION = ["logRetentionDays"] as const;
export interface LogRetention {
    /** Retention of the component's log group, in days: one of `LOG_RETENTION_DAYS`. */
    logRetentionDays: number;
}

/**
 * What CloudWatch Logs would refuse as a log group's retention. The one statement of the rule: the
 * components that create log groups report it for their `logRetentionDays` argument, the stack
 * config's loader for its `logRetentionDays` key.
 */
export function logRetentionProblems(settings: LogRetention): ArgumentProblem<LogRetention>[] {
    return (LOG_RETENTION_DAYS as readonly number[]).includes(settings.logRetentionDays)
        ? []
        : [["logRetentionDays", `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(", ")}`]];
}
