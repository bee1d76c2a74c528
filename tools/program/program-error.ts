/**
 * Something about the program being checked keeps it from running: its folder, its Pulumi.yaml,
 * a module it imports, a config key it requires. The message says what and how to fix it; the
 * check prints it alone, without a stack trace.
 */
export class ProgramError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramError";
        this.stack = `${this.name}: ${message}`;
    }
}

/**
 * The SDK's `ConfigMissingError` (a config key the program `require`s and the stack file lacks) as
 * a `ProgramError` naming the key and how to set it; any other error unchanged. Recognised by shape
 * (a `RunError` with a `key`), as the program may load its own copy of `@pulumi/pulumi`.
 */
export function explainedProgramError(error: unknown, stack: string): unknown {
    const candidate = error as { __pulumiRunError?: unknown; key?: unknown; secret?: unknown; message?: unknown } | null;
    if (
        candidate?.__pulumiRunError === true &&
        typeof candidate.key === "string" &&
        typeof candidate.message === "string" &&
        candidate.message.startsWith("Missing required configuration variable")
    ) {
        const secret = candidate.secret === true;
        return new ProgramError(
            `the program requires config key '${candidate.key}', which Pulumi.${stack}.yaml does not set: add it under config: ` +
                `(pulumi config set${secret ? " --secret" : ""} ${candidate.key} <value> --stack ${stack})`,
        );
    }
    return error;
}
