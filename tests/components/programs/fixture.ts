/**
 * Shared by the per-component programs: the arguments a spec passes (`fixture:args`, JSON text)
 * merged over the program's defaults, the explicit provider the real program uses, and the ARNs
 * of the resources a component receives from outside (plain strings, so specs can compare them).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const EVENT_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:events-topic`;
export const ALARM_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:alarms-topic`;
export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-queue`;
export const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-queue`;
export const QUEUE_NAME = "orders-queue";
export const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/idempotency`;
export const TAGS = { Project: "event-pipeline", Environment: "test", Owner: "fixture", ManagedBy: "pulumi" };

export function fixtureArgs<T extends object>(defaults: T): T {
    const overrides = new pulumi.Config("fixture").getObject<Partial<T>>("args") ?? {};
    return { ...defaults, ...overrides };
}

/** As in `index.ts`: components get the explicit provider, their children inherit it. */
export function withProvider(): pulumi.ComponentResourceOptions {
    const provider = new aws.Provider("aws", { region: REGION, defaultTags: { tags: TAGS } });
    return { providers: [provider] };
}
