import { hostname } from "node:os";
import { crmTopics } from "@rapport/events";
import { startGrpcServer } from "@rapport/grpc";
import { connectRecordSender, createKafka, startConsumerLoop } from "@rapport/kafka";
import { connectMongo } from "@rapport/mongo";
import { startAdminServer } from "@rapport/runtime";
import { createMetricsRegistry, type Logger, type Registry } from "@rapport/telemetry";
import { createCampaignStore } from "./adapters/campaign-store.js";
import { createCatalogStore } from "./adapters/catalog-store.js";
import { createContactStore } from "./adapters/contact-store.js";
import { registerOfferService } from "./adapters/grpc-service.js";
import { startLearning } from "./adapters/learning.js";
import { createOfferHandler } from "./adapters/offer-handler.js";
import { createOfferOperations, type OfferOperations } from "./adapters/offer-operations.js";
import { ensureOfferTopics } from "./adapters/offer-topics.js";
import { createScoringClient } from "./adapters/scoring-client.js";
import { unsubscribeRoute } from "./adapters/unsubscribe-route.js";
import { contactPolicyOf, type OfferConfig } from "./config.js";
import { defaultContactPolicy } from "./domain/contact-policy.js";

export { offerTopics } from "./adapters/offer-topics.js";
export { loadOfferConfig } from "./config.js";

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

  const mongo = await connectMongo(config.MONGODB_URI, config.OFFER_DATABASE);
  const layout = { buckets: config.OFFER_STORE_BUCKETS };
  const contacts = await createContactStore(mongo.db, layout);
  await contacts.ensureIndexes();
  const catalog = createCatalogStore(mongo.db);
  const campaigns = await createCampaignStore(mongo.db, layout);
  const scoring = createScoringClient(config.SCORING_GRPC_ADDRESS);
  const learning = startLearning(contacts, config.OFFER_LEARNING_REFRESH_SECONDS * 1000, logger);

  const loop = await startConsumerLoop({
    kafka,
    groupId: config.OFFER_CONSUMER_GROUP,
    topics: [topics.resolvedEvents, topics.offers, topics.customerChanges, topics.identity],
    transactionalId: `${config.OFFER_CONSUMER_GROUP}-${config.INSTANCE_ID ?? hostname()}`,
    deadLetterTopic: topics.deadLetter,
    maxRecordsPerTransaction: 200,
    handleBatch: createOfferHandler({
      contacts,
      catalog,
      campaigns,
      topics,
      scoresOf: (customerId) => scoring.scoresOf({ customerId }),
      reacting: true,
    }),
    logger,
    onFatal: deps.onFatal,
    clock,
  });

  const sender = await connectRecordSender(kafka);
  const operations = createOfferOperations({
    contacts,
    catalog,
    campaigns,
    scoring,
    sender,
    topics,
    policy: contactPolicyOf(config, defaultContactPolicy),
    timeZone: config.OFFER_TIME_ZONE,
    unsubscribeSecret: config.OFFER_UNSUBSCRIBE_SECRET,
    responseCounts: learning.counts,
    clock,
    random: deps.random ?? Math.random,
  });
  const grpc = await startGrpcServer({
    host: config.BIND_ADDRESS,
    port: config.GRPC_PORT,
    serviceNames: ["crm.v1.OfferService"],
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
  void learning.refresh().catch((error) => logger.error({ err: error }, "learning response rates failed"));

  return {
    httpPort: admin.port,
    grpcPort: grpc.port,
    registry,
    operations,
    learn: learning.refresh,
    async stop() {
      consuming = false;
      await Promise.all([grpc.stop(), admin.stop()]);
      await loop.stop();
      await learning.stop();
      scoring.close();
      await sender.disconnect();
      await mongo.close();
    },
  };
}
