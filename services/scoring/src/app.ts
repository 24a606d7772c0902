import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { crmTopics } from "@rapport/events";
import { startGrpcServer } from "@rapport/grpc";
import { connectRecordSender, createKafka, ensureTopics, startConsumerLoop } from "@rapport/kafka";
import { connectMongo } from "@rapport/mongo";
import { startAdminServer } from "@rapport/runtime";
import { createMetricsRegistry, type Logger, type Registry } from "@rapport/telemetry";
import { createCustomerStore } from "./adapters/customer-store.js";
import { registerCustomerService } from "./adapters/grpc-service.js";
import { createIdentityResolver } from "./adapters/identity-resolver.js";
import { fitPopulation } from "./adapters/population-fitter.js";
import { createPopulationModels } from "./adapters/population-models.js";
import { createScoringClock } from "./adapters/scoring-clock.js";
import { createApplyUpdate, createScoringHandler } from "./adapters/scoring-handler.js";
import { type ScoringFact, scoringFactRecord } from "./adapters/scoring-records.js";
import { type ScoringConfig, scoringSettingsOf } from "./config.js";

export type ScoringServiceDependencies = {
  config: ScoringConfig;
  logger: Logger;
  /** Called when the consumer cannot go on; main exits so the process is restarted. */
  onFatal: (error: Error) => void;
  registry?: Registry;
  clock?: () => Date;
};

export type RunningScoringService = {
  httpPort: number;
  grpcPort: number;
  registry: Registry;
  /** Records a clock tick on crm.scoring: every customer is rescored as of `asOf`. */
  tick(asOf?: Date): Promise<void>;
  stop(): Promise<void>;
};

/** Starts scoring: the consumer of resolved events, merges and scoring facts, gRPC CustomerService, admin. */
export async function startScoringService(deps: ScoringServiceDependencies): Promise<RunningScoringService> {
  const { config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const registry = deps.registry ?? createMetricsRegistry("scoring");
  const settings = scoringSettingsOf(config);
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID ?? "rapport-scoring",
    logger,
  });
  if (config.KAFKA_CREATE_TOPICS) {
    const partitions = config.KAFKA_TOPIC_PARTITIONS;
    const forever = { "retention.ms": "-1" };
    await ensureTopics(kafka, [
      { name: topics.resolvedEvents, partitions, config: forever },
      { name: topics.identity, partitions, config: forever },
      { name: topics.customerChanges, partitions, config: forever },
      { name: topics.scoring, partitions: 1, config: forever },
      { name: topics.deadLetter, partitions, config: forever },
    ]);
  }

  const mongo = await connectMongo(config.MONGODB_URI, config.SCORING_DATABASE);
  const store = await createCustomerStore(mongo.db, { buckets: config.SCORING_STORE_BUCKETS });
  await store.ensureIndexes();
  const models = createPopulationModels(mongo.db);
  const scoringClock = createScoringClock(mongo.db);
  const sender = await connectRecordSender(kafka);
  const publishScoringFact = (fact: ScoringFact) => sender.send([scoringFactRecord(topics, fact, {})]);

  const consumerGroup = config.SCORING_CONSUMER_GROUP;
  let consuming = false;
  const loop = await startConsumerLoop({
    kafka,
    groupId: consumerGroup,
    topics: [topics.resolvedEvents, topics.identity, topics.scoring],
    transactionalId: `${consumerGroup}-${config.INSTANCE_ID ?? hostname()}`,
    deadLetterTopic: topics.deadLetter,
    maxRecordsPerTransaction: 200,
    handleBatch: createScoringHandler({
      store,
      models,
      clock: scoringClock,
      topics,
      applyUpdate: createApplyUpdate(store, models, scoringClock, settings),
    }),
    logger,
    onFatal: deps.onFatal,
    clock,
  });
  consuming = true;

  const tick = async (asOf = clock()) =>
    publishScoringFact({
      type: "crm.v1.ScoringClockTicked",
      id: `tick:${asOf.toISOString()}:${randomUUID()}`,
      asOf: asOf.toISOString(),
    });
  const refitModels = async () => {
    const model = await fitPopulation(store, settings, clock(), clock);
    await models.record(model);
    await publishScoringFact({ type: "crm.v1.PopulationModelFitted", id: `fit:${model.modelId}`, model });
    logger.info(
      {
        modelId: model.modelId,
        customers: model.customers,
        purchaseModel: model.purchases !== undefined,
        fitDurationMs: model.fitDurationMs,
      },
      "population model fitted",
    );
    return model;
  };

  const timers: NodeJS.Timeout[] = [];
  if (config.SCORING_SCHEDULER) {
    const every = (minutes: number, work: () => Promise<unknown>, what: string) => {
      const timer = setInterval(
        () => work().catch((error) => logger.error({ err: error }, `${what} failed`)),
        minutes * 60_000,
      );
      timer.unref();
      timers.push(timer);
    };
    every(config.SCORING_RESCORE_MINUTES, tick, "the scheduled clock tick");
    every(config.SCORING_REFIT_MINUTES, refitModels, "the scheduled model fit");
  }

  const identity = createIdentityResolver(config.IDENTITY_GRPC_ADDRESS);
  const grpc = await startGrpcServer({
    host: config.BIND_ADDRESS,
    port: config.GRPC_PORT,
    serviceNames: ["crm.v1.CustomerService"],
    register: (server) =>
      registerCustomerService(server, {
        store,
        models,
        settings,
        resolveIdentifier: identity.resolve,
        refitModels,
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
    tick,
    async stop() {
      consuming = false;
      for (const timer of timers) clearInterval(timer);
      await Promise.all([grpc.stop(), admin.stop()]);
      await loop.stop();
      identity.close();
      await sender.disconnect();
      await mongo.close();
    },
  };
}
