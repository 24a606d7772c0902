import type { IngestionConfig } from "../src/config.js";
import { loadIngestionConfig } from "../src/config.js";

/** Ingestion configured for one test file: its own topics, database, consumer group and ports. */
export function testIngestionConfig(
  endpoints: { kafkaBrokers: readonly string[]; mongodbUri: string },
  names: { prefix: string; database: string; instance: string },
  overrides: Record<string, string> = {},
): IngestionConfig {
  return loadIngestionConfig({
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
    MONGODB_URI: endpoints.mongodbUri,
    KAFKA_TOPIC_PREFIX: names.prefix,
    KAFKA_TOPIC_PARTITIONS: "3",
    INGESTION_DATABASE: names.database,
    INGESTION_CONSUMER_GROUP: `${names.prefix}ingestion`,
    INSTANCE_ID: names.instance,
    HTTP_PORT: "0",
    GRPC_PORT: "0",
    INGESTION_WRITE_KEYS: "shop=shop-key,callcenter=callcenter-key,web=web-key",
    WEBLOG_VISITOR_COOKIE_FIELD: "1",
    WEBLOG_VISITOR_COOKIE_NAME: "vid",
    MAX_EVENT_BYTES: "4096",
    MAX_REQUEST_BYTES: "65536",
    MAX_EVENTS_PER_REQUEST: "50",
    LOG_LEVEL: "silent",
    ...overrides,
  });
}

export function orderPlaced(
  id: string | undefined,
  customerNumber: string,
  time = "2026-03-01T18:30:00+09:00",
) {
  return {
    specversion: "1.0",
    ...(id ? { id } : {}),
    type: "crm.v1.OrderPlaced",
    time,
    data: {
      customer: {
        identifiers: [
          { type: "customer_number", value: customerNumber },
          { type: "email", value: ` ${customerNumber}@Example.com ` },
        ],
      },
      orderId: id ?? customerNumber,
      total: { amountMinor: 45000, currency: "krw" },
    },
  };
}
