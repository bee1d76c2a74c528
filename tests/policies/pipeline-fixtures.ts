/**
 * The valid ("happy path") event pipeline as the harness's fixtures, for the SQS, SNS and Lambda
 * policy specs: the base pipeline of tests/policies/base-pipeline.json (the one hand-kept copy,
 * which the labelled set patches too), named `orders`. Specs change one thing per case with
 * `change`, `remove` and `add`.
 *
 * `pipeline("deployed")` is the stack after an update: computed attributes (`arn`, `url`, `id`)
 * known. `pipeline("preview")` is the first preview of a new stack: those attributes and every
 * value built from another resource (ARNs in policies, alarm dimensions, redrive policies) are the
 * engine's unknown sentinel. In both, `propertyDependencies` say which resource each value came
 * from, as the engine sends them.
 */
import { FixtureResource, UNKNOWN } from "./harness";
import { computedAttributes, expandPipeline, Phase } from "./pipeline";

export type { Phase } from "./pipeline";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
/** Where a literal names a resource that is not this stack's, though it bears the same name. */
export const OTHER_REGION = "us-west-2";
export const OTHER_ACCOUNT = "999999999999";

export const queueArn = (physicalName: string, region = REGION, account = ACCOUNT) => `arn:aws:sqs:${region}:${account}:${physicalName}`;
export const queueUrl = (physicalName: string, region = REGION, account = ACCOUNT) => `https://sqs.${region}.amazonaws.com/${account}/${physicalName}`;
export const topicArn = (physicalName: string, region = REGION, account = ACCOUNT) => `arn:aws:sns:${region}:${account}:${physicalName}`;
export const functionArn = (physicalName: string, region = REGION, account = ACCOUNT) => `arn:aws:lambda:${region}:${account}:function:${physicalName}`;

export function tlsDenyStatement(service: "sqs" | "sns", resource: string): Record<string, unknown> {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: `${service}:*`,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

export function snsSendStatement(queue: string, topic: string): Record<string, unknown> {
    return {
        Sid: "AllowTopic",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queue,
        Condition: { ArnEquals: { "aws:SourceArn": topic } },
    };
}

export function policyJson(...statements: Record<string, unknown>[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The pipeline's resources. `copy` (for stacks of many pipelines) names a further pipeline,
 * `orders-<copy>`, whose logical and physical names differ from every other copy's, so that
 * copies never refer to one another.
 */
export function pipeline(phase: Phase, copy = ""): FixtureResource[] {
    const name = copy ? `orders-${copy}` : "orders";
    const { resources } = expandPipeline({ name, phase }, { dependencies: "always" });
    const nameOf = new Map(resources.map((resource) => [resource.urn, resource.name]));
    return resources.map((resource) => {
        const key = resource.name.slice(name.length + 1);
        const props =
            phase === "deployed" ? resource.outputs! : { ...resource.inputs, ...Object.fromEntries(computedAttributes(key).map((attribute) => [attribute, UNKNOWN])) };
        // Dependencies on resources outside the fixtures (the function's role) are left out: the harness links names it has.
        const propertyDependencies = Object.fromEntries(
            Object.entries(resource.propertyDependencies).map(([property, urns]) => [property, urns.map((urn) => nameOf.get(urn)).filter((name) => name !== undefined)]),
        );
        // No URN: the harness derives it from the name, so a spec may copy a fixture under another name.
        return { type: resource.type, name: resource.name, props, protect: resource.protect, propertyDependencies };
    });
}

/** Physical names, as auto-naming gives them (known in both phases: the provider's Check fills them in). */
export const PHYSICAL = (() => {
    const physical = (name: string) => String(pipeline("deployed").find((fixture) => fixture.name === name)!.props.name);
    return { topic: physical("orders-events"), queue: physical("orders-queue"), dlq: physical("orders-dlq"), consumer: physical("orders-consumer") } as const;
})();

/** Names of the resources violations are reported against. */
export function flagged(violations: { urn?: string }[]): string[] {
    return violations.map((violation) => violation.urn?.split("::").pop() ?? "<stack>");
}

/** The fixtures plus `extra`. */
export function add(fixtures: FixtureResource[], ...extra: FixtureResource[]): FixtureResource[] {
    return [...fixtures, ...extra];
}

/** The fixtures with `name`'s props changed: each key of `changes` set, or deleted when its value is `undefined`. */
export function change(fixtures: FixtureResource[], name: string, changes: Record<string, unknown>): FixtureResource[] {
    found(fixtures, name);
    return fixtures.map((fixture) => {
        if (fixture.name !== name) {
            return fixture;
        }
        const props = { ...fixture.props };
        for (const [key, value] of Object.entries(changes)) {
            if (value === undefined) {
                delete props[key];
            } else {
                props[key] = value;
            }
        }
        return { ...fixture, props };
    });
}

/**
 * The fixtures with `name`'s props changed as `change` does, each changed property written as a
 * literal in the program: it depends on no resource.
 */
export function literal(fixtures: FixtureResource[], name: string, changes: Record<string, unknown>): FixtureResource[] {
    return change(fixtures, name, changes).map((fixture) =>
        fixture.name !== name
            ? fixture
            : { ...fixture, propertyDependencies: Object.fromEntries(Object.entries(fixture.propertyDependencies ?? {}).filter(([property]) => !(property in changes))) },
    );
}

/** The fixtures (those named, or all) with an AWS provider for `region`: where a resource lives before its ARN is known. */
export function inRegion(fixtures: FixtureResource[], region: string, names?: string[]): FixtureResource[] {
    return fixtures.map((fixture) =>
        names === undefined || names.includes(fixture.name) ? { ...fixture, provider: { type: "pulumi:providers:aws", name: `aws-${region}`, props: { region } } } : fixture,
    );
}

/** The fixtures without `name`, and without any dependency on it. */
export function remove(fixtures: FixtureResource[], name: string): FixtureResource[] {
    found(fixtures, name);
    return fixtures
        .filter((fixture) => fixture.name !== name)
        .map((fixture) => ({
            ...fixture,
            propertyDependencies: Object.fromEntries(
                Object.entries(fixture.propertyDependencies ?? {}).map(([property, names]) => [property, names.filter((n) => n !== name)]),
            ),
        }));
}

/** The fixtures without any resource of `type`, and without dependencies on them. */
export function removeType(fixtures: FixtureResource[], type: string): FixtureResource[] {
    return fixtures.filter((fixture) => fixture.type === type).reduce((rest, fixture) => remove(rest, fixture.name), fixtures);
}

/** The fixtures with `name`'s property dependencies replaced. */
export function dependencies(fixtures: FixtureResource[], name: string, propertyDependencies: Record<string, string[]>): FixtureResource[] {
    found(fixtures, name);
    return fixtures.map((fixture) => (fixture.name === name ? { ...fixture, propertyDependencies } : fixture));
}

export function byName(fixtures: FixtureResource[], name: string): FixtureResource {
    return found(fixtures, name);
}

function found(fixtures: FixtureResource[], name: string): FixtureResource {
    const fixture = fixtures.find((candidate) => candidate.name === name);
    if (!fixture) {
        throw new Error(`no fixture named ${name}`);
    }
    return fixture;
}

/** Values of the wrong shape for any property: a policy must read every one without throwing. */
export const MALFORMED_VALUES: readonly unknown[] = [
    "{not json",
    "",
    "null",
    "[1,2]",
    42,
    -1,
    true,
    null,
    [],
    {},
    [null, 7, "x", UNKNOWN],
    { unexpected: { nested: [1, null] } },
];

/** Fails when the harness reports that the policy let an unknown value escape ("can't run … during preview"). */
export function assertRan(violations: { message: string }[]): void {
    const escaped = violations.filter((violation) => violation.message.includes("can't run policy"));
    if (escaped.length > 0) {
        throw new Error(`policy could not run: ${escaped.map((violation) => violation.message).join("; ")}`);
    }
}
