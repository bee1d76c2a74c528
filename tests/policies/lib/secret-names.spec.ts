import assert from "node:assert/strict";
import { isSecretReference, looksLikeSecretName, nameWords } from "../../../policies/lib/secret-names";

describe("secret-names", () => {
    it("splits names into words", () => {
        assert.deepEqual(nameWords("stripeApiKey"), ["STRIPE", "API", "KEY"]);
        assert.deepEqual(nameWords("DBPassword"), ["DB", "PASSWORD"]);
        assert.deepEqual(nameWords("github-token"), ["GITHUB", "TOKEN"]);
        assert.deepEqual(nameWords("__"), []);
    });

    for (const name of ["DB_PASSWORD", "PASSWORD", "dbPassword", "API_KEY", "apiKey", "STRIPE_APIKEY", "PRIVATE_KEY", "JWT_SECRET",
        "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY", "GITHUB_TOKEN", "SLACK_WEBHOOK_TOKEN", "SECRET_KEY_BASE", "CREDENTIALS", "passphrase"]) {
        it(`${name} looks secret`, () => assert.equal(looksLikeSecretName(name), true));
    }

    for (const name of ["DB_PASSWORD_SECRET_ARN", "API_KEY_PARAMETER_NAME", "TOKEN_SECRET_ID", "SECRET_NAME", "QUEUE_URL", "LOG_LEVEL",
        "PARTITION_KEY", "CACHE_KEY", "TOKEN_TTL", "AUTH_TOKEN_HEADER", "KEYBOARD", "TOKENIZER_MODEL", "", "PWD"]) {
        it(`${JSON.stringify(name)} does not`, () => assert.equal(looksLikeSecretName(name), false));
    }

    it("recognises references to Secrets Manager and SSM", () => {
        assert.equal(isSecretReference("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"), true);
        assert.equal(isSecretReference("arn:aws:ssm:us-east-1:123456789012:parameter/db/password"), true);
        assert.equal(isSecretReference("{{resolve:secretsmanager:db:SecretString:password}}"), true);
        assert.equal(isSecretReference("hunter2"), false);
        assert.equal(isSecretReference("arn:aws:sqs:us-east-1:123456789012:orders"), false);
    });
});

describe("isSecretReference: what counts as a reference", () => {
    it("an ARN of any partition, and surrounding blanks, still refer", () => {
        assert.equal(isSecretReference("arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf"), true);
        assert.equal(isSecretReference("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/db"), true);
        assert.equal(isSecretReference("  arn:aws:ssm:us-east-1:123456789012:parameter/db  "), true);
        assert.equal(isSecretReference(" {{resolve:ssm-secure:db-password}}"), true);
    });

    it("a value that only mentions a reference after other text is the secret itself", () => {
        assert.equal(isSecretReference("hunter2 arn:aws:secretsmanager:us-east-1:123456789012:secret:db"), false);
        assert.equal(isSecretReference("pw={{resolve:secretsmanager:db}}"), false);
        assert.equal(isSecretReference("arn:aws:secretsmanager-x:us-east-1:1:secret:db"), false);
    });
});
