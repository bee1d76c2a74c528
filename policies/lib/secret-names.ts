/**
 * Telling a variable that holds a secret (`DB_PASSWORD`, `stripeApiKey`, `github-token`) from one
 * that only refers to a secret or describes it (`DB_PASSWORD_SECRET_ARN`, `TOKEN_TTL_SECONDS`).
 */

/** Words that make a variable name a secret's name. */
const SECRET_WORDS = new Set([
    "PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS",
    "CREDENTIAL", "CREDENTIALS", "APIKEY", "PRIVATEKEY",
]);

/** Word pairs that do (`API_KEY`, `apiKey`, `AWS_SECRET_ACCESS_KEY`). */
const SECRET_PAIRS = new Set(["API KEY", "PRIVATE KEY", "ACCESS KEY", "SECRET KEY", "SIGNING KEY", "ENCRYPTION KEY", "CLIENT KEY"]);

/**
 * Last words of a name that points at where a secret lives (`…_ARN`, `…_NAME`, `…_ID`, a path, a
 * URL) or says something about it (`…_TTL`, `…_HEADER`) rather than holding it.
 */
const NOT_THE_SECRET_SUFFIXES = new Set([
    "ARN", "ARNS", "NAME", "NAMES", "ID", "IDS", "PARAM", "PARAMETER", "PATH", "FILE", "URL", "URI", "ENDPOINT",
    "HEADER", "TTL", "TIMEOUT", "SECONDS", "LENGTH", "TYPE", "ENABLED", "REGION",
]);

/** The words of a variable name, upper-cased: `stripeApiKey` → STRIPE API KEY, `DBPassword` → DB PASSWORD. */
export function nameWords(name: string): string[] {
    // Only the last capital of a run starts the next word (`DBPassword` → DB Password).
    const acronymsSplit = name.replace(/([A-Z])([A-Z][a-z])/g, "$1 $2");
    const spaced = acronymsSplit.replace(/([a-z0-9])([A-Z])/g, "$1 $2");
    const parts = spaced.split(/[^A-Za-z0-9]/);
    return parts.filter((word) => word !== "").map((word) => word.toUpperCase());
}

export function looksLikeSecretName(name: string): boolean {
    const words = nameWords(name);
    if (NOT_THE_SECRET_SUFFIXES.has(words[words.length - 1])) {
        return false;
    }
    // The first word's pair starts with "undefined", which no pair does.
    return words.some((word, i) => SECRET_WORDS.has(word) || SECRET_PAIRS.has(`${words[i - 1]} ${word}`));
}

/** A value that names a Secrets Manager secret or an SSM parameter instead of holding the secret. */
export function isSecretReference(value: string): boolean {
    const trimmed = value.trim();
    return /^arn:aws[\w-]*:(secretsmanager|ssm):/.test(trimmed) || /^\{\{resolve:(secretsmanager|ssm-secure):/.test(trimmed);
}
