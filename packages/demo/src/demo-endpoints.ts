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
};

export function demoEndpointsOf(env: Record<string, string | undefined>): DemoEndpoints {
  return {
    kafkaBrokers: (env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",").map((broker) => broker.trim()),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? "",
    ingestionUrl: (env.RAPPORT_INGESTION_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, ""),
    writeKey: env.RAPPORT_WRITE_KEY ?? "rapport-dev-key",
    identityAddress: env.RAPPORT_IDENTITY_ADDRESS ?? "127.0.0.1:50052",
    scoringAddress: env.RAPPORT_SCORING_ADDRESS ?? "127.0.0.1:50053",
    offerAddress: env.RAPPORT_OFFER_ADDRESS ?? "127.0.0.1:50054",
  };
}
