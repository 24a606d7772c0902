import { hostname } from "node:os";
import { context } from "@opentelemetry/api";
import { crmTopics } from "@rapport/events";
import { startGrpcServer } from "@rapport/grpc";
import {
  connectRecordSender,
  createKafka,
  createKafkaMetrics,
  ensureTopics,
  startConsumerLoop,
  traceHeaders,
} from "@rapport/kafka";
import { connectMongo } from "@rapport/mongo";
import { startAdminServer } from "@rapport/runtime";
import { createMetricsRegistry, type Logger, type Registry } from "@rapport/telemetry";
import { createEventResolver } from "./adapters/event-resolver.js";
import { registerIdentityService } from "./adapters/grpc-service.js";
import { createIdentityMetrics } from "./adapters/identity-metrics.js";
import { identityEventRecord } from "./adapters/identity-records.js";
import { createIdentityStore } from "./adapters/identity-store.js";
import { identityTopics } from "./adapters/identity-topics.js";
import { createMatchStore } from "./adapters/match-store.js";
import { createProbabilisticMatcher } from "./adapters/probabilistic-matcher.js";
import { createResolvedEventsHandler } from "./adapters/resolved-events-handler.js";
import { type IdentityConfig, identityRulesOf } from "./config.js";

export { identityTopics } from "./adapters/identity-topics.js";
export { loadIdentityConfig } from "./config.js";

import type { IdentityEvent } from "./domain/identity-events.js";
import { defaultBlockingOptions } from "./domain/matching/blocking.js";
import { defaultBlockingRules } from "./domain/matching/blocking-rules.js";

export type IdentityServiceDependencies = {
  config: IdentityConfig;
  logger: Logger;
  /** Called when the crm.events consumer cannot go on; main exits so the process is restarted. */
  onFatal: (error: Error) => void;
  registry?: Registry;
  clock?: () => Date;
};

export type RunningIdentityService = {
  httpPort: number;
  grpcPort: number;
  registry: Registry;
  stop(): Promise<void>;
};

/** Starts identity: the crm.events consumer, gRPC IdentityService and the admin endpoints. */
export async function startIdentityService(
  deps: IdentityServiceDependencies,
): Promise<RunningIdentityService> {
  const { config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const registry = deps.registry ?? createMetricsRegistry("identity");
  const rules = identityRulesOf(config);
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID ?? "rapport-identity",
    logger,
  });
  if (config.KAFKA_CREATE_TOPICS) await ensureTopics(kafka, identityTopics(config));

  const mongo = await connectMongo(config.MONGODB_URI, config.IDENTITY_DATABASE);
  const layout = { buckets: config.IDENTITY_STORE_BUCKETS };
  const store = await createIdentityStore(
    mongo.db,
    { sourcePriority: config.GOLDEN_RECORD_SOURCE_PRIORITY },
    layout,
  );
  await store.ensureIndexes();
  const matchStore = await createMatchStore(
    mongo.db,
    defaultBlockingRules,
    defaultBlockingOptions.maxBlockSize,
    layout,
  );
  await matchStore.ensureIndexes();
  const matcher = createProbabilisticMatcher(
    store,
    matchStore,
    {
      rules,
      thresholds: { autoMerge: config.IDENTITY_MATCH_AUTO_MERGE, review: config.IDENTITY_MATCH_REVIEW },
      minRecords: config.IDENTITY_MATCH_MIN_RECORDS,
    },
    logger,
  );
  await matcher.loadModel();
  const refit = async () => {
    const report = await matcher.fit(clock);
    if (!report.fitted)
      logger.info({ records: report.records }, `probabilistic matching waits: ${report.reason}`);
  };
  if (!matcher.hasModel()) await refit();
  // Until there is a model, fitting is tried every minute (customers arrive after the start);
  // then the model is fitted again every IDENTITY_MATCH_REFIT_MINUTES.
  let refitTimer: NodeJS.Timeout | undefined;
  const scheduleRefit = () => {
    const delayMs = matcher.hasModel() ? config.IDENTITY_MATCH_REFIT_MINUTES * 60_000 : 60_000;
    refitTimer = setTimeout(() => {
      refit()
        .catch((error) => logger.error({ err: error }, "fitting the match model failed"))
        .finally(scheduleRefit);
    }, delayMs);
    refitTimer.unref();
  };
  scheduleRefit();
  const metrics = createIdentityMetrics(registry);
  const sender = await connectRecordSender(kafka);
  const publishIdentityEvents = (events: readonly IdentityEvent[]) =>
    sender.send(
      events.map((event, position) =>
        identityEventRecord(topics, event, position, traceHeaders(context.active())),
      ),
    );

  const consumerGroup = config.IDENTITY_CONSUMER_GROUP;
  let consuming = false;
  const loop = await startConsumerLoop({
    kafka,
    groupId: consumerGroup,
    topics: [topics.events],
    transactionalId: `${consumerGroup}-${config.INSTANCE_ID ?? hostname()}`,
    deadLetterTopic: topics.deadLetter,
    // Resolving takes several lookups per event: parts of 100 keep each transaction short.
    maxRecordsPerTransaction: 100,
    partitionsConsumedConcurrently: config.KAFKA_CONSUMER_CONCURRENCY,
    handleBatch: createResolvedEventsHandler({
      resolveEvent: createEventResolver(store, rules, matcher),
      topics,
      metrics,
    }),
    logger,
    metrics: createKafkaMetrics(registry),
    onFatal: deps.onFatal,
    clock,
  });
  consuming = true;

  const grpc = await startGrpcServer({
    host: config.BIND_ADDRESS,
    port: config.GRPC_PORT,
    serviceNames: ["crm.v1.IdentityService"],
    registry,
    register: (server) =>
      registerIdentityService(server, {
        store,
        matches: matchStore,
        rules,
        publishIdentityEvents,
        identifierRules: { defaultPhoneRegion: config.DEFAULT_PHONE_REGION },
        clock,
        logger,
      }),
  });
  const admin = await startAdminServer({
    host: config.BIND_ADDRESS,
    port: config.HTTP_PORT,
    registry,
    isReady: () => consuming,
  });

  return {
    httpPort: admin.port,
    grpcPort: grpc.port,
    registry,
    async stop() {
      consuming = false;
      clearTimeout(refitTimer);
      await Promise.all([grpc.stop(), admin.stop()]);
      await loop.stop();
      await sender.disconnect();
      await mongo.close();
    },
  };
}
