import type { PlatformMetrics } from "./platform-quiet.js";

/** Where the demo finds the platform: `npm start`'s fixed ports unless the environment says otherwise. */
export type DemoEndpoints = {
  kafkaBrokers: string[];
  /** KAFKA_TOPIC_PREFIX of the running services. */
  topicPrefix: string;
  ingestionUrl: string;
  writeKey: string;
  identityAddress: string;
  scoringAddress: string;
  offerAddress: string;
  /** Each service's /metrics: how the demo tells when the platform has handled what it sent. */
  metrics: PlatformMetrics;
};

export function demoEndpointsOf(env: Record<string, string | undefined>): DemoEndpoints {
  const url = (value: string | undefined, fallback: string) => (value ?? fallback).replace(/\/+$/, "");
  const ingestionUrl = url(env.RAPPORT_INGESTION_URL, "http://127.0.0.1:8080");
  return {
    kafkaBrokers: (env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",").map((broker) => broker.trim()),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? "",
    ingestionUrl,
    writeKey: env.RAPPORT_WRITE_KEY ?? "rapport-dev-key",
    identityAddress: env.RAPPORT_IDENTITY_ADDRESS ?? "127.0.0.1:50052",
    scoringAddress: env.RAPPORT_SCORING_ADDRESS ?? "127.0.0.1:50053",
    offerAddress: env.RAPPORT_OFFER_ADDRESS ?? "127.0.0.1:50054",
    metrics: {
      ingestion: `${ingestionUrl}/metrics`,
      identity: `${url(env.RAPPORT_IDENTITY_ADMIN_URL, "http://127.0.0.1:8082")}/metrics`,
      scoring: `${url(env.RAPPORT_SCORING_ADMIN_URL, "http://127.0.0.1:8083")}/metrics`,
      offer: `${url(env.RAPPORT_OFFER_ADMIN_URL, "http://127.0.0.1:8084")}/metrics`,
    },
  };
}
