/**
 * Measures the client: spawn → port, and `analyze` round trips sequentially and with requests in
 * flight at once. The figures in client.ts's header come from this script:
 *
 *     npx ts-node --transpile-only tools/analyzer/measure.ts [packDir] [resources]
 */
import * as path from "path";
import { performance } from "perf_hooks";
import { AnalyzedResource, resolvePolicyConfig, startPolicyPack } from "./index";

const PACK_DIRECTORY = path.resolve(process.argv[2] ?? path.join(__dirname, "../../policies"));
const RESOURCE_COUNT = Number(process.argv[3] ?? 1000);
const STARTS = 5;
const CONCURRENCIES = [1, 2, 4, 8, 16, 64];

/** A queue as the program registers one: physical name, tags, a JSON redrive policy, the provider. */
function queue(i: number): AnalyzedResource {
    return {
        urn: `urn:pulumi:dev::event-pipeline::eventpipeline:Pipeline$aws:sqs/queue:Queue::queue-${i}`,
        type: "aws:sqs/queue:Queue",
        name: `queue-${i}`,
        parent: "urn:pulumi:dev::event-pipeline::eventpipeline:Pipeline::pipeline",
        provider: {
            urn: "urn:pulumi:dev::event-pipeline::pulumi:providers:aws::default_7_48_0",
            type: "pulumi:providers:aws",
            name: "default_7_48_0",
            props: { region: "eu-west-1", defaultTags: JSON.stringify({ tags: { Project: "event-pipeline", Environment: "dev", Owner: "platform" } }) },
        },
        inputs: {
            name: `queue-${i}-1a2b3c4`,
            visibilityTimeoutSeconds: 180,
            messageRetentionSeconds: 345600,
            redrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:eu-west-1:123456789012:queue-${i}-dlq`, maxReceiveCount: 5 }),
            tags: { Component: "orders" },
        },
        protect: false,
        propertyDependencies: { redrivePolicy: [`urn:pulumi:dev::event-pipeline::aws:sqs/queue:Queue::queue-${i}-dlq`] },
    };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
    const startups: number[] = [];
    for (let i = 0; i < STARTS; i++) {
        const client = await startPolicyPack(PACK_DIRECTORY);
        startups.push(client.startupMs);
        await client.close();
    }
    console.log(`spawn → port, ${STARTS} starts: median ${median(startups).toFixed(0)} ms (${startups.map((ms) => ms.toFixed(0)).join(", ")})`);

    const client = await startPolicyPack(PACK_DIRECTORY);
    try {
        const info = await client.getAnalyzerInfo();
        await client.configure(resolvePolicyConfig(info));
        await client.configureStack({ stack: "dev", project: "event-pipeline", dryRun: true });
        const resources = Array.from({ length: RESOURCE_COUNT }, (_, i) => queue(i));
        await client.analyzeAll(resources.slice(0, 200)); // warm up both processes' JITs

        const perCall: number[] = [];
        const sequentialStart = performance.now();
        for (const resource of resources) {
            const callStart = performance.now();
            await client.analyze(resource);
            perCall.push(performance.now() - callStart);
        }
        const sequentialMs = performance.now() - sequentialStart;
        console.log(
            `${info.policies.length} policies, ${RESOURCE_COUNT} sequential analyze: ${sequentialMs.toFixed(0)} ms, ` +
                `${(sequentialMs / RESOURCE_COUNT).toFixed(3)} ms each (median ${median(perCall).toFixed(3)} ms)`,
        );
        for (const concurrency of CONCURRENCIES) {
            const start = performance.now();
            await client.analyzeAll(resources, { concurrency });
            const ms = performance.now() - start;
            console.log(`analyzeAll concurrency ${concurrency}: ${ms.toFixed(0)} ms, ${(ms / RESOURCE_COUNT).toFixed(3)} ms per resource`);
        }
    } finally {
        await client.close();
    }
}

main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
});
