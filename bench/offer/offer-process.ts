import { credentials } from "@grpc/grpc-js";
import { OfferServiceClient } from "@rapport/proto";
import { freePort, startServiceProcess } from "@rapport/testing";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import type { RunNames } from "../shared/run-names.js";

export type OfferProcess = {
  pid: number;
  /** host:port of its gRPC server (OfferService). */
  grpcAddress: string;
  output(): string;
  stop(): Promise<void>;
};

export type OfferProcessOptions = {
  endpoints: BenchEndpoints;
  names: RunNames;
  /** host:port of the CustomerService the offer service reads scores from. */
  scoringAddress: string;
  /** OFFER_STORE_BUCKETS: collections the contact history pages (and campaign targets) are spread over. */
  storeBuckets: number;
  grpcPort: number;
};

/** Signs the run's unsubscribe tokens; any 16 characters do for a throwaway database. */
const unsubscribeSecret = "bench-offer-unsubscribe-secret";

/**
 * The offer service's settings for a run: production defaults but for the run's topics, database,
 * consumer group, scoring address and store buckets.
 */
export function offerEnvironment(options: OfferProcessOptions): Record<string, string> {
  const { endpoints, names } = options;
  return {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
    MONGODB_URI: endpoints.mongodbUri,
    KAFKA_TOPIC_PREFIX: names.prefix,
    KAFKA_TOPIC_PARTITIONS: "6",
    KAFKA_CREATE_TOPICS: "true",
    OFFER_DATABASE: names.database,
    OFFER_CONSUMER_GROUP: names.consumerGroup,
    OFFER_STORE_BUCKETS: String(options.storeBuckets),
    OFFER_UNSUBSCRIBE_SECRET: unsubscribeSecret,
    SCORING_GRPC_ADDRESS: options.scoringAddress,
    INSTANCE_ID: names.instance,
    GRPC_PORT: String(options.grpcPort),
  };
}

/** The offer service as its own Node.js process (node --import tsx src/main.ts), ready once /readyz answers. */
export async function startOfferProcess(
  options: Omit<OfferProcessOptions, "grpcPort">,
): Promise<OfferProcess> {
  const grpcPort = await freePort();
  const service = await startServiceProcess({
    service: "offer",
    env: offerEnvironment({ ...options, grpcPort }),
  });
  return {
    pid: service.pid,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    output: service.output,
    stop: service.stop,
  };
}

/** An OfferService client on its own connection, as a separate caller (a web server, the CRM) has. */
export function offerClient(address: string): OfferServiceClient {
  return new OfferServiceClient(address, credentials.createInsecure(), {
    "grpc.use_local_subchannel_pool": 1,
  });
}

export function waitForReady(client: OfferServiceClient): Promise<void> {
  return new Promise((ready, fail) =>
    client.waitForReady(Date.now() + 30_000, (error) => (error ? fail(error) : ready())),
  );
}
