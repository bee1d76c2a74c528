import assert from "node:assert/strict";
import { noPlaintextSecrets } from "../../../policies/general/no-plaintext-secrets";
import { FixtureResource, UNKNOWN, validateResource } from "../harness";

type Fixture = Omit<FixtureResource, "name">;

const REFERENCES = {
    QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
    DB_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
    API_KEY_PARAMETER_NAME: "/orders/api-key",
    LOG_LEVEL: "info",
};

function lambda(variables: unknown = REFERENCES): Fixture {
    return { type: "aws:lambda/function:Function", props: { runtime: "nodejs22.x", environment: { variables } } };
}

function taskDefinition(environment: unknown = [{ name: "QUEUE_URL", value: REFERENCES.QUEUE_URL }], extra: Record<string, unknown> = {}): Fixture {
    const container = {
        name: "worker",
        image: "worker:latest",
        environment,
        secrets: [{ name: "DB_PASSWORD", valueFrom: REFERENCES.DB_PASSWORD_SECRET_ARN }],
        ...extra,
    };
    return { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: JSON.stringify([container]) } };
}

describe("no-plaintext-secrets", () => {
    it("is named, described and mandatory", () => {
        assert.equal(noPlaintextSecrets.name, "no-plaintext-secrets");
        assert.match(noPlaintextSecrets.description, /plain text/);
        assert.equal(noPlaintextSecrets.enforcementLevel, "mandatory");
    });

    describe("compliance", () => {
        it("a function whose secret-ish variables name references passes", async () => {
            assert.deepEqual(await validateResource(noPlaintextSecrets, lambda()), []);
        });

        it("a container that takes its secret through `secrets` passes", async () => {
            assert.deepEqual(await validateResource(noPlaintextSecrets, taskDefinition()), []);
        });

        it("a secret-named variable holding a Secrets Manager or SSM ARN passes", async () => {
            const fixture = lambda({ DB_PASSWORD: REFERENCES.DB_PASSWORD_SECRET_ARN, TOKEN: "arn:aws:ssm:us-east-1:1:parameter/token" });
            assert.deepEqual(await validateResource(noPlaintextSecrets, fixture), []);
        });

        it("empty values and flags pass", async () => {
            assert.deepEqual(await validateResource(noPlaintextSecrets, lambda({ API_KEY: "", USE_TOKEN: true })), []);
        });

        it("other types are not applicable", async () => {
            assert.deepEqual(await validateResource(noPlaintextSecrets, { type: "aws:sqs/queue:Queue", props: { PASSWORD: "x" } }), []);
        });
    });

    describe("noncompliance", () => {
        it("a Lambda variable named like a password holding a literal", async () => {
            const violations = await validateResource(noPlaintextSecrets, lambda({ ...REFERENCES, DB_PASSWORD: "hunter2" }));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /DB_PASSWORD holds a literal secret.*Secrets Manager/);
            assert.doesNotMatch(violations[0].message, /hunter2/, "the secret itself is never repeated");
        });

        for (const name of ["API_KEY", "stripeApiKey", "GITHUB_TOKEN", "JWT_SECRET", "PRIVATE_KEY", "AWS_SECRET_ACCESS_KEY"]) {
            it(`a Lambda variable ${name}`, async () => {
                assert.equal((await validateResource(noPlaintextSecrets, lambda({ [name]: "literal" }))).length, 1);
            });
        }

        it("a number literal", async () => {
            assert.equal((await validateResource(noPlaintextSecrets, lambda({ PIN_PASSWORD: 1234 }))).length, 1);
        });

        it("an ECS container environment entry", async () => {
            const fixture = taskDefinition([{ name: "QUEUE_URL", value: REFERENCES.QUEUE_URL }, { name: "DB_PASSWORD", value: "hunter2" }]);
            const violations = await validateResource(noPlaintextSecrets, fixture);
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /Container 'worker' sets environment variable DB_PASSWORD.*secrets: \[\{ name: "DB_PASSWORD"/);
        });
    });

    describe("unknown values", () => {
        it("unknown values, maps and definitions never violate", async () => {
            for (const fixture of [
                lambda({ DB_PASSWORD: UNKNOWN }),
                lambda(UNKNOWN),
                { type: "aws:lambda/function:Function", props: { environment: UNKNOWN } },
                { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: UNKNOWN } },
            ]) {
                assert.deepEqual(await validateResource(noPlaintextSecrets, fixture), []);
            }
        });
    });

    describe("malformed values", () => {
        it("malformed environments and container definitions never throw", async () => {
            for (const fixture of [
                lambda("DB_PASSWORD=x"),
                lambda(null),
                { type: "aws:lambda/function:Function", props: { environment: "x" } },
                taskDefinition("DB_PASSWORD=x"),
                taskDefinition([null, 3, { name: 7, value: "x" }, { value: "x" }]),
                { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: "[{" } },
                { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: null } },
            ]) {
                assert.deepEqual(await validateResource(noPlaintextSecrets, fixture), [], JSON.stringify(fixture.props));
            }
        });
    });
});

describe("no-plaintext-secrets: a blank value is no secret", () => {
    it("DB_PASSWORD of spaces passes, in a function and in a container", async () => {
        const fn = { type: "aws:lambda/function:Function", props: { environment: { variables: { DB_PASSWORD: "   " } } } };
        const task = { type: "aws:ecs/taskDefinition:TaskDefinition", props: { containerDefinitions: JSON.stringify([{ name: "w", environment: [{ name: "DB_PASSWORD", value: " " }] }]) } };
        assert.deepEqual(await validateResource(noPlaintextSecrets, fn), []);
        assert.deepEqual(await validateResource(noPlaintextSecrets, task), []);
    });
});
