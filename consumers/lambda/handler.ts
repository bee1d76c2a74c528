/**
 * The SQS-triggered consumer. Powertools' batch utility reports only the records that failed
 * (`ReportBatchItemFailures`), so one bad message is retried — and eventually dead-lettered —
 * alone instead of dragging its whole batch back onto the queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { createConsumerRuntime, type RuntimeOverrides } from "../shared/runtime";
import { type Env, readConsumerSettings } from "../shared/settings";

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface HandlerOptions extends RuntimeOverrides {
    env?: Env;
}

/**
 * Everything is built once per execution environment (at init, where Lambda gives the most CPU),
 * not per invocation.
 */
export function createHandler(options: HandlerOptions = {}): SqsHandler {
    const settings = readConsumerSettings(options.env ?? process.env);
    const { logger, metrics, processor } = createConsumerRuntime(settings, options);
    const batchProcessor = new BatchProcessor(EventType.SQS);

    return async (event, context) => {
        logger.addContext(context);
        const processRecord = (record: SQSRecord) =>
            processor.process(record.body, {
                messageId: record.messageId,
                sentTimestamp: Number(record.attributes?.SentTimestamp) || undefined,
                remainingTime: context,
            });
        try {
            return await processPartialResponse(event, processRecord, batchProcessor, {
                context,
                // Report every failed record even when all failed, rather than throwing: the
                // queue retries the same messages either way, and the function's Errors metric
                // stays a signal of crashes, not of bad messages (EventsFailed counts those).
                throwOnFullBatchFailure: false,
            });
        } finally {
            // EMF lines on stdout become CloudWatch metrics; flush even if the batch threw.
            metrics.publishStoredMetrics();
        }
    };
}
