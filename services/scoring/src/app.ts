import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { context } from "@opentelemetry/api";
import { crmTopics } from "@rapport/events";
import { startGrpcServer } from "@rapport/grpc";
import {
  type ConsumerLoop,
  connectRecordSender,
  createKafka,
  createKafkaMetrics,
  traceHeaders,
} from "@rapport/kafka";
import { connectMongo, createProjectionVersions, firstProjectionVersion } from "@rapport/mongo";
import { followActiveVersion, startAdminServer } from "@rapport/runtime";
import { createMetricsRegistry, type Logger, type Registry } from "@rapport/telemetry";
import { registerCustomerService } from "./adapters/grpc-service.js";
import { createIdentityResolver } from "./adapters/identity-resolver.js";
import { fitPopulation } from "./adapters/population-fitter.js";
import { openProjection, type Projection, type ProjectionOptions } from "./adapters/projection.js";
import { type ScoringFact, scoringFactRecord } from "./adapters/scoring-records.js";
import { ensureScoringTopics } from "./adapters/scoring-topics.js";
import { type ScoringConfig, scoringSettingsOf } from "./config.js";
import type { PopulationModel } from "./domain/population-model.js";

export { scoringTopics } from "./adapters/scoring-topics.js";
export { loadScoringConfig } from "./config.js";
export { replayScoring } from "./replay.js";

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
  /** The projection version serving now (a replay activates the next one). */
  projectionVersion(): number;
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
  if (config.KAFKA_CREATE_TOPICS) await ensureScoringTopics(kafka, config);

  const mongo = await connectMongo(config.MONGODB_URI, config.SCORING_DATABASE, { registry });
  const versions = createProjectionVersions(
    mongo.db,
    firstProjectionVersion(config.SCORING_DATABASE, config.SCORING_CONSUMER_GROUP),
  );
  const projectionOptions: ProjectionOptions = {
    client: mongo.client,
    kafka,
    topics,
    settings,
    buckets: config.SCORING_STORE_BUCKETS,
    consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
    logger,
    metrics: createKafkaMetrics(registry),
  };
  const instanceId = config.INSTANCE_ID ?? hostname();
  const serve = async (projection: Projection) => ({
    projection,
    loop: await projection.consume({ instanceId, replaying: false, onFatal: deps.onFatal, clock }),
  });
  let serving: { projection: Projection; loop: ConsumerLoop } = await serve(
    await openProjection(await versions.active(), projectionOptions),
  );
  let consuming = true;

  // A replay activates a new version: start keeping it current, answer from it, then let the old
  // build go.
  const follower = followActiveVersion({
    versions,
    serving: () => serving.projection.version.version,
    switchTo: async (active) => {
      const previous = serving;
      serving = await serve(await openProjection(active, projectionOptions));
      await previous.loop.stop();
    },
    logger,
  });

  const sender = await connectRecordSender(kafka);
  // A fit asked for over gRPC (RefitModels) joins the caller's trace; scheduled ones start their own.
  const publishScoringFact = (fact: ScoringFact) =>
    sender.send([scoringFactRecord(topics, fact, traceHeaders(context.active()))]);
  const tick = async (asOf = clock()) =>
    publishScoringFact({
      type: "crm.v1.ScoringClockTicked",
      id: `tick:${asOf.toISOString()}:${randomUUID()}`,
      asOf: asOf.toISOString(),
    });
  const recordModel = async (model: PopulationModel) => {
    await serving.projection.models.record(model);
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
  const fitNow = () => fitPopulation(serving.projection.store, settings, clock(), clock);
  const refitModels = async () => recordModel(await fitNow());

  const timers: NodeJS.Timeout[] = [];
  if (config.SCORING_SCHEDULER) {
    const every = (minutes: number, work: () => Promise<unknown>, what: string) => {
      const timer = setInterval(
        () => work().catch((error) => logger.error({ err: error }, `${what} failed`)),
        minutes * 60_000,
      );
      timer.unref();
      timers.push(timer);
      return timer;
    };
    every(config.SCORING_RESCORE_MINUTES, tick, "the scheduled clock tick");
    every(config.SCORING_REFIT_MINUTES, refitModels, "the scheduled model fit");
    // A new deployment has no model until the first scheduled fit: fit once a minute until the
    // first customers have bought, so RFM, the grid and predictions start within minutes.
    if ((await serving.projection.models.inForce()) === undefined) {
      const firstFit: NodeJS.Timeout = every(
        1,
        async () => {
          const model = await fitNow();
          if (model.buyingCustomers === 0) return;
          clearInterval(firstFit);
          await recordModel(model);
        },
        "the first model fit",
      );
    }
  }

  const identity = createIdentityResolver(config.IDENTITY_GRPC_ADDRESS);
  const grpc = await startGrpcServer({
    host: config.BIND_ADDRESS,
    port: config.GRPC_PORT,
    serviceNames: ["crm.v1.CustomerService"],
    registry,
    register: (server) =>
      registerCustomerService(server, {
        projection: () => serving.projection,
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
    projectionVersion: () => serving.projection.version.version,
    async stop() {
      consuming = false;
      await follower.stop();
      for (const timer of timers) clearInterval(timer);
      await Promise.all([grpc.stop(), admin.stop()]);
      await serving.loop.stop();
      identity.close();
      await sender.disconnect();
      await mongo.close();
    },
  };
}
