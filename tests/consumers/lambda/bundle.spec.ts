import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { bundleFunctions, bundleFunctionsOnce, type BundleResult, MAX_BUNDLE_BYTES } from "../../../consumers/lambda/bundle";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("bundleFunctions", () => {
    let workDir: string;
    let outDir: string;
    let results: BundleResult[];

    before(async () => {
        workDir = mkdtempSync(path.join(tmpdir(), "bundle-spec-"));
        outDir = path.join(workDir, "functions");
        // A file from an earlier build must not end up in the code asset.
        mkdirSync(path.join(outDir, "consumer"), { recursive: true });
        writeFileSync(path.join(outDir, "consumer", "stale.js"), "old");
        results = await bundleFunctions({ outDir });
    });
    after(() => rmSync(workDir, { recursive: true, force: true }));

    it("builds every function to <outDir>/<name>/index.js and reports its size", () => {
        assert.deepEqual(
            results.map(({ name, outfile }) => ({ name, outfile })),
            [{ name: "consumer", outfile: path.join(outDir, "consumer", "index.js") }],
        );
        for (const { outfile, bytes } of results) {
            assert.equal(bytes, statSync(outfile).size);
        }
    });

    it("keeps each bundle within 128 KiB", () => {
        for (const { name, bytes } of results) {
            assert.ok(bytes <= MAX_BUNDLE_BYTES, `${name} is ${bytes} bytes, over ${MAX_BUNDLE_BYTES}`);
        }
        assert.equal(MAX_BUNDLE_BYTES, 131_072);
    });

    it("minifies, writes a linked source map and removes stale files", () => {
        const code = readFileSync(path.join(outDir, "consumer", "index.js"), "utf8");
        assert.ok(code.split("\n").length < 50, "minified output has few lines");
        assert.match(code, /\/\/# sourceMappingURL=index\.js\.map\s*$/);
        const map = JSON.parse(readFileSync(path.join(outDir, "consumer", "index.js.map"), "utf8")) as { sources: string[] };
        assert.ok(map.sources.some((source) => source.endsWith("consumers/shared/processor.ts")));
        assert.equal(existsSync(path.join(outDir, "consumer", "stale.js")), false);
    });

    it("leaves only the AWS SDK and Node built-ins outside the bundle", () => {
        const code = readFileSync(path.join(outDir, "consumer", "index.js"), "utf8");
        const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
        assert.ok(required.some((name) => name.startsWith("@aws-sdk/")), "the SDK is external");
        const builtins = new Set(builtinModules);
        const others = required.filter((name) => !name.startsWith("@aws-sdk/") && !builtins.has(name.replace(/^node:/, "")));
        assert.deepEqual(others, []);
    });

    it("refuses a function that does not exist, naming those that do", async () => {
        await assert.rejects(bundleFunctions({ outDir, functions: ["nope"] }), /No function "nope": the functions are consumer$/);
    });

    // The mock runtime loads every project module afresh for each run of the program: the cache
    // of builds must not live in the module, or each run would build again.
    it("builds once per process for the same options, even when the module is loaded afresh", async () => {
        const options = { outDir: path.join(workDir, "once") };
        const first = bundleFunctionsOnce(options);
        assert.equal(bundleFunctionsOnce(options), first);
        const file = require.resolve("../../../consumers/lambda/bundle");
        delete require.cache[file];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const reloaded = require(file) as typeof import("../../../consumers/lambda/bundle");
        assert.notEqual(reloaded.bundleFunctionsOnce, bundleFunctionsOnce, "a fresh instance of the module");
        assert.equal(reloaded.bundleFunctionsOnce(options), first);
        const other = reloaded.bundleFunctionsOnce({ outDir: path.join(workDir, "other") });
        assert.notEqual(other, first, "other options, another build");
        const [[built], [otherBuilt]] = await Promise.all([first, other]);
        assert.equal(built?.outfile, path.join(workDir, "once", "consumer", "index.js"));
        assert.equal(otherBuilt?.outfile, path.join(workDir, "other", "consumer", "index.js"));
    });

    describe("the bundled handler, run locally", () => {
        interface LocalRun {
            result: { batchItemFailures: { itemIdentifier: string }[] };
            stdout: string;
        }
        let run: LocalRun;

        before(async () => {
            // Like the Lambda runtime: the bundle plus the AWS SDK, and nothing else.
            const runtimeDir = path.join(workDir, "runtime");
            mkdirSync(path.join(runtimeDir, "node_modules"), { recursive: true });
            symlinkSync(path.join(ROOT, "node_modules", "@aws-sdk"), path.join(runtimeDir, "node_modules", "@aws-sdk"), "dir");
            const bundle = path.join(runtimeDir, "index.js");
            writeFileSync(bundle, readFileSync(path.join(outDir, "consumer", "index.js")));

            const event = (id: string) =>
                JSON.stringify({ specversion: "1.0", id, source: "/local", type: "order.created", data: { orderId: id } });
            const sqsEvent = {
                Records: [
                    { messageId: "raw", body: event("e1"), attributes: { SentTimestamp: String(Date.now()) } },
                    {
                        messageId: "sns",
                        body: JSON.stringify({ Type: "Notification", TopicArn: "arn:aws:sns:eu-west-1:1:t", Message: event("e2") }),
                        attributes: {},
                    },
                    { messageId: "bad", body: "not an event", attributes: {} },
                ],
            };
            const script = `
                const { handler } = require(${JSON.stringify(bundle)});
                const context = { functionName: "local", awsRequestId: "req-1", getRemainingTimeInMillis: () => 30000 };
                handler(${JSON.stringify(sqsEvent)}, context).then(
                    (result) => process.stdout.write("RESULT " + JSON.stringify(result) + "\\n"),
                    (error) => { console.error(error); process.exitCode = 1; },
                );`;
            const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
                cwd: runtimeDir,
                // Nothing but the region and Powertools' own settings: no table, no consumer name.
                env: {
                    PATH: process.env.PATH,
                    AWS_REGION: "eu-west-1",
                    POWERTOOLS_IDEMPOTENCY_DISABLED: "true",
                    POWERTOOLS_SERVICE_NAME: "local-consumer",
                    POWERTOOLS_METRICS_NAMESPACE: "event-pipeline/local",
                    POWERTOOLS_LOG_LEVEL: "INFO",
                },
            });
            const resultLine = stdout.split("\n").find((line) => line.startsWith("RESULT "));
            assert.ok(resultLine, `no result in:\n${stdout}`);
            run = { result: JSON.parse(resultLine.slice("RESULT ".length)), stdout };
        });

        it("processes raw and SNS-wrapped events and fails only the malformed record", () => {
            assert.deepEqual(run.result, { batchItemFailures: [{ itemIdentifier: "bad" }] });
        });

        it("writes JSON logs and an EMF blob to stdout", () => {
            const lines = run.stdout
                .split("\n")
                .filter((line) => line.length > 0 && !line.startsWith("RESULT "))
                .map((line) => JSON.parse(line) as Record<string, unknown>);
            const emf = lines.find((line) => line._aws !== undefined);
            // EMF carries one value per event: [1, 1] for two events.
            assert.deepEqual(emf?.EventsProcessed, [1, 1]);
            assert.equal(emf?.EventsFailed, 1);
            assert.ok(lines.some((line) => line.message === "Event processed" && line.correlation_id === "e2"));
        });
    });
});
