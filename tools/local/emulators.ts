/**
 * The two emulators, in this process and in memory: fauxqs (SNS and SQS over the real AWS API)
 * and dynalite (DynamoDB over the real API). The AWS SDK v3 clients reach them by `endpoint`;
 * both listen on the loopback interface only, on ports the system picks, and keep nothing on disk.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

/** Any credentials will do: neither emulator checks signatures; the SDK only needs some to sign. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

export interface EmulatorEndpoints {
    region: string;
    /** SNS and SQS (fauxqs serves both on one port). */
    messagingEndpoint: string;
    dynamoDbEndpoint: string;
}

export interface Emulators extends EmulatorEndpoints {
    sqs(): SQSClient;
    sns(): SNSClient;
    dynamoDb(): DynamoDBClient;
    /** Closes every client made here and both servers. Safe to call twice. */
    stop(): Promise<void>;
}

interface FastifyLike {
    listen(options: { port: number; host: string }): Promise<string>;
    close(): Promise<void>;
}

// fauxqs is an ES module only (no `require` export): load it with a real dynamic import, which
// TypeScript's CommonJS output would otherwise turn into `require`.
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

async function startFauxqs(region: string): Promise<{ address: string; close(): Promise<void> }> {
    const { buildApp } = (await importModule("fauxqs")) as { buildApp(options: { logger: boolean; defaultRegion: string }): FastifyLike };
    // buildApp rather than startFauxqs: the latter listens on every interface, this on loopback only.
    const app = buildApp({ logger: false, defaultRegion: region });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    return { address, close: () => app.close() };
}

async function startDynalite(): Promise<{ address: string; close(): Promise<void> }> {
    // Tables are ACTIVE at once instead of after dynalite's default half second.
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
        address: `http://127.0.0.1:${port}`,
        close: () =>
            new Promise<void>((resolve) => {
                // Keep-alive sockets of SDK clients would hold close() open; nothing is in flight now.
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

export async function startEmulators(region: string): Promise<Emulators> {
    const [messaging, dynamo] = await Promise.all([startFauxqs(region), startDynalite()]);
    const clients: { destroy(): void }[] = [];
    const make = <T extends { destroy(): void }>(client: T): T => {
        clients.push(client);
        return client;
    };
    const common = { region, credentials: LOCAL_CREDENTIALS };
    let stopped: Promise<void> | undefined;
    return {
        region,
        messagingEndpoint: messaging.address,
        dynamoDbEndpoint: dynamo.address,
        sqs: () => make(new SQSClient({ ...common, endpoint: messaging.address })),
        sns: () => make(new SNSClient({ ...common, endpoint: messaging.address })),
        dynamoDb: () => make(new DynamoDBClient({ ...common, endpoint: dynamo.address })),
        stop() {
            stopped ??= (async () => {
                clients.forEach((client) => client.destroy());
                await Promise.allSettled([messaging.close(), dynamo.close()]);
            })();
            return stopped;
        },
    };
}
