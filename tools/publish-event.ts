/**
 * Smoke test for a deployed stack: publishes one CloudEvent to the stack's topic.
 *
 *   npm run publish-event -- --stack dev --type order.created --data '{"orderId":"42"}'
 *
 * The topic ARN comes from `pulumi stack output topicArn` (or `--topic-arn`); credentials and
 * profile from the usual AWS SDK chain.
 */
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { type CloudEvent, validateCloudEvent } from "../consumers/shared/cloudevent";

export const USAGE = `Usage: npm run publish-event -- --stack <stack> --type <type> [--data '<json>'] [--source <uri>] [--id <id>] [--subject <s>] [--topic-arn <arn>]`;

export interface PublishArgs {
    stack?: string;
    topicArn?: string;
    type: string;
    data: unknown;
    source: string;
    id?: string;
    subject?: string;
}

export class UsageError extends Error {
    public override readonly name = "UsageError";
}

export function parsePublishArgs(argv: string[]): PublishArgs {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                "topic-arn": { type: "string" },
                type: { type: "string" },
                data: { type: "string" },
                source: { type: "string" },
                id: { type: "string" },
                subject: { type: "string" },
            },
            strict: true,
        }));
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${USAGE}`);
    }
    const problems: string[] = [];
    if (values.stack === undefined && values["topic-arn"] === undefined) {
        problems.push("--stack (or --topic-arn) is required");
    }
    if (!values.type) {
        problems.push("--type is required");
    }
    let data: unknown;
    if (values.data !== undefined) {
        try {
            data = JSON.parse(values.data);
        } catch (error) {
            problems.push(`--data is not JSON: ${(error as Error).message}`);
        }
    }
    if (problems.length > 0) {
        throw new UsageError(`${problems.join("; ")}\n${USAGE}`);
    }
    return {
        stack: values.stack,
        topicArn: values["topic-arn"],
        type: values.type as string,
        data,
        source: values.source ?? "urn:event-pipeline:publish-event",
        id: values.id,
        subject: values.subject,
    };
}

export function buildCloudEvent(args: PublishArgs, now: Date = new Date()): CloudEvent {
    return validateCloudEvent({
        specversion: "1.0",
        id: args.id ?? randomUUID(),
        source: args.source,
        type: args.type,
        time: now.toISOString(),
        ...(args.subject !== undefined && { subject: args.subject }),
        ...(args.data !== undefined && { datacontenttype: "application/json", data: args.data }),
    });
}

export type RunCommand = (file: string, args: string[]) => Promise<{ stdout: string; stderr: string }>;

const runCommand: RunCommand = (file, args) =>
    new Promise((resolve, reject) => {
        execFile(file, args, { encoding: "utf8" }, (error, stdout, stderr) =>
            error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
        );
    });

/** Reads the stack's `topicArn` output with the Pulumi CLI. */
export async function stackTopicArn(stack: string, run: RunCommand = runCommand): Promise<string> {
    let stdout: string;
    try {
        ({ stdout } = await run("pulumi", ["stack", "output", "topicArn", "--stack", stack]));
    } catch (error) {
        const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: string };
        if (code === "ENOENT") {
            throw new Error(
                "The Pulumi CLI (`pulumi`) is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) " +
                    "and log in to the stack's backend, or pass --topic-arn.",
            );
        }
        throw new Error(`\`pulumi stack output topicArn --stack ${stack}\` failed: ${(stderr ?? "").trim() || (error as Error).message}`);
    }
    const arn = stdout.trim();
    regionOfTopic(arn); // fail here, with the value shown, rather than inside the SDK
    return arn;
}

export function regionOfTopic(topicArn: string): string {
    const match = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[\w.-]+$/.exec(topicArn);
    if (match === null) {
        throw new Error(`Not an SNS topic ARN: "${topicArn}"`);
    }
    return match[1];
}

export async function publishEvent(sns: SNSClient, topicArn: string, event: CloudEvent): Promise<string> {
    const output = await sns.send(
        new PublishCommand({
            TopicArn: topicArn,
            Message: JSON.stringify(event),
            // The same names as the CloudEvent attributes, so a subscription filter on `type` or
            // `source` matches whether its scope is the message body or the message attributes.
            MessageAttributes: {
                type: { DataType: "String", StringValue: event.type },
                source: { DataType: "String", StringValue: event.source },
            },
        }),
    );
    return output.MessageId ?? "";
}

export async function main(argv: string[]): Promise<void> {
    const args = parsePublishArgs(argv);
    const topicArn = args.topicArn ?? (await stackTopicArn(args.stack as string));
    const event = buildCloudEvent(args);
    // The topic's own region, so the command works whatever AWS_REGION the shell has.
    const sns = new SNSClient({ region: regionOfTopic(topicArn) });
    const messageId = await publishEvent(sns, topicArn, event);
    console.log(`Published ${event.type} event ${event.id} to ${topicArn} (SNS message ${messageId})`);
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
    });
}
