import { hostname } from "node:os";
import { crmTopics } from "@rapport/events";
import { startGrpcServer } from "@rapport/grpc";
import { connectRecordSender, createKafka, createKafkaMetrics } from "@rapport/kafka";
import { connectMongo, createProjectionVersions, firstProjectionVersion } from "@rapport/mongo";
import { followActiveVersion, startAdminServer } from "@rapport/runtime";
import { createMetricsRegistry, type Logger, type Registry } from "@rapport/telemetry";
import { registerOfferService } from "./adapters/grpc-service.js";
import { startLearning } from "./adapters/learning.js";
import { createOfferOperations, type OfferOperations } from "./adapters/offer-operations.js";
import {
  type OfferProjection,
  type OfferProjectionOptions,
  openOfferProjection,
} from "./adapters/offer-projection.js";
import { ensureOfferTopics } from "./adapters/offer-topics.js";
import { createScoringClient } from "./adapters/scoring-client.js";
import { unsubscribeRoute } from "./adapters/unsubscribe-route.js";
import { contactPolicyOf, type OfferConfig } from "./config.js";
import { defaultContactPolicy } from "./domain/contact-policy.js";

export { offerTopics } from "./adapters/offer-topics.js";
export { loadOfferConfig } from "./config.js";
export { replayOffer } from "./replay.js";

export type OfferServiceDependencies = {
  config: OfferConfig;
  logger: Logger;
  /** Called when the consumer cannot go on; main exits so the process is restarted. */
  onFatal: (error: Error) => void;
  registry?: Registry;
  clock?: () => Date;
  random?: () => number;
};

export type RunningOfferService = {
  httpPort: number;
  grpcPort: number;
  registry: Registry;
  operations: OfferOperations;
  /** Learns the response rates now instead of at the next scheduled pass. */
  learn(): Promise<void>;
  /** The projection version serving now (a replay activates the next one). */
  projectionVersion(): number;
  stop(): Promise<void>;
};

/**
 * Starts the offer service: the consumer of resolved events, crm.offers, customer changes and
 * merges; gRPC OfferService; the admin port with the unsubscribe endpoint.
 */
export async function startOfferService(deps: OfferServiceDependencies): Promise<RunningOfferService> {
  const { config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const registry = deps.registry ?? createMetricsRegistry("offer");
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID ?? "rapport-offer",
    logger,
  });
  if (config.KAFKA_CREATE_TOPICS) await ensureOfferTopics(kafka, config);

  const mongo = await connectMongo(config.MONGODB_URI, config.OFFER_DATABASE, { registry });
  const versions = createProjectionVersions(
    mongo.db,
    firstProjectionVersion(config.OFFER_DATABASE, config.OFFER_CONSUMER_GROUP),
  );
  const scoring = createScoringClient(config.SCORING_GRPC_ADDRESS);
  const projectionOptions: OfferProjectionOptions = {
    client: mongo.client,
    kafka,
    topics,
    buckets: config.OFFER_STORE_BUCKETS,
    cachedCustomers: config.OFFER_CACHE_CUSTOMERS,
    scoreLookupsInFlight: config.OFFER_SCORE_LOOKUPS_IN_FLIGHT,
    consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
    logger,
    metrics: createKafkaMetrics(registry),
    scoresOf: (customerId) => scoring.scoresOf({ customerId }),
  };
  const instanceId = config.INSTANCE_ID ?? hostname();
  const serve = async (projection: OfferProjection) => ({
    projection,
    loop: await projection.consume({ instanceId, replaying: false, onFatal: deps.onFatal, clock }),
    learning: startLearning(projection.contacts, config.OFFER_LEARNING_REFRESH_SECONDS * 1000, logger),
  });
  const refreshLearning = (learning: ReturnType<typeof startLearning>) =>
    void learning.refresh().catch((error) => logger.error({ err: error }, "learning response rates failed"));
  let serving = await serve(await openOfferProjection(await versions.active(), projectionOptions));
  // A replay activates a new version: start keeping it current, answer from it, then let the old
  // build go.
  const follower = followActiveVersion({
    versions,
    serving: () => serving.projection.version.version,
    switchTo: async (active) => {
      const previous = serving;
      serving = await serve(await openOfferProjection(active, projectionOptions));
      refreshLearning(serving.learning);
      await previous.loop.stop();
      await previous.learning.stop();
    },
    logger,
  });

  const sender = await connectRecordSender(kafka);
  const operations = createOfferOperations({
    // Read at every call: the stores of the version serving then.
    get contacts() {
      return serving.projection.contacts;
    },
    get catalog() {
      return serving.projection.catalog;
    },
    get campaigns() {
      return serving.projection.campaigns;
    },
    scoring,
    sender,
    topics,
    policy: contactPolicyOf(config, defaultContactPolicy),
    timeZone: config.OFFER_TIME_ZONE,
    unsubscribeSecret: config.OFFER_UNSUBSCRIBE_SECRET,
    responseCounts: () => serving.learning.counts(),
    clock,
    random: deps.random ?? Math.random,
  });
  const grpc = await startGrpcServer({
    host: config.BIND_ADDRESS,
    port: config.GRPC_PORT,
    serviceNames: ["crm.v1.OfferService"],
    registry,
    register: (server) => registerOfferService(server, operations, logger),
  });
  let consuming = true;
  const admin = await startAdminServer({
    host: config.BIND_ADDRESS,
    port: config.HTTP_PORT,
    registry,
    isReady: () => consuming,
    route: unsubscribeRoute(operations, logger),
  });
  refreshLearning(serving.learning);

  return {
    httpPort: admin.port,
    grpcPort: grpc.port,
    registry,
    operations,
    learn: () => serving.learning.refresh(),
    projectionVersion: () => serving.projection.version.version,
    async stop() {
      consuming = false;
      await follower.stop();
      await Promise.all([grpc.stop(), admin.stop()]);
      await serving.loop.stop();
      await serving.learning.stop();
      scoring.close();
      await sender.disconnect();
      await mongo.close();
    },
  };
}
