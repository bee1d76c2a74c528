/**
 * Builds the Powertools logger, metrics and idempotency store from the settings, identically for
 * the Lambda consumer and the worker, so that both log, count and deduplicate the same way.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import type { LogLevel } from "@aws-lambda-powertools/logger/types";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { EventHandlers } from "./handlers";
import { EventProcessor } from "./processor";
import type { ConsumerSettings } from "./settings";

export interface ConsumerRuntime {
    logger: Logger;
    metrics: Metrics;
    processor: EventProcessor;
}

/** Seams for tests and local runs; production uses the defaults. */
export interface RuntimeOverrides {
    dynamoDbClient?: DynamoDBClient;
    handlers?: EventHandlers;
    now?: () => number;
}

export function createConsumerRuntime(settings: ConsumerSettings, overrides: RuntimeOverrides = {}): ConsumerRuntime {
    const logger = new Logger({
        serviceName: settings.serviceName,
        ...(settings.logLevel !== undefined && { logLevel: settings.logLevel as LogLevel }),
    });
    const metrics = new Metrics({
        serviceName: settings.serviceName,
        ...(settings.metricsNamespace !== undefined && { namespace: settings.metricsNamespace }),
        // Powertools' own warnings (e.g. an invalid metric) then arrive as structured JSON too.
        logger,
    });
    const persistenceStore =
        settings.idempotencyTableName === undefined
            ? undefined
            : new DynamoDBPersistenceLayer({
                  // Default attribute names (`id` key, `expiration` TTL): the table component relies on them.
                  tableName: settings.idempotencyTableName,
                  ...(overrides.dynamoDbClient !== undefined && { awsSdkV3Client: overrides.dynamoDbClient }),
              });
    const processor = new EventProcessor({
        consumerName: settings.consumerName,
        logger,
        metrics,
        persistenceStore,
        ...(overrides.handlers !== undefined && { handlers: overrides.handlers }),
        ...(overrides.now !== undefined && { now: overrides.now }),
    });
    return { logger, metrics, processor };
}
