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
import { createWriterLease, followActiveVersion, startAdminServer, writeOrStandBy } from "@rapport/runtime";
import { createMetricsRegistry, type Logger, type Registry } from "@rapport/telemetry";
import { registerCustomerService } from "./adapters/grpc-service.js";
import { createIdentityResolver } from "./adapters/identity-resolver.js";
import { backtestModels, createModelBacktests } from "./adapters/model-backtests.js";
import { fitPopulation } from "./adapters/population-fitter.js";
import { openProjection, type Projection, type ProjectionOptions } from "./adapters/projection.js";
import { type ScoringFact, scoringFactRecord } from "./adapters/scoring-records.js";
import { ensureScoringTopics } from "./adapters/scoring-topics.js";
import { defaultPurchaseCountModel, type ScoringConfig, scoringSettingsOf } from "./config.js";
import type { BacktestPeriod } from "./domain/backtest.js";
import type { PurchaseCountModelName } from "./domain/lifetime-value/index.js";
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
  /** Whether this instance writes the customers now (holds the writer's lease) rather than standing by. */
  isWriter(): boolean;
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
    cachedCustomers: config.SCORING_CACHE_CUSTOMERS,
    recordsPerPart: config.SCORING_RECORDS_PER_PART,
    rescoreChunk: config.SCORING_RESCORE_CHUNK,
    consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
    logger,
    metrics: createKafkaMetrics(registry),
  };
  const instanceId = config.INSTANCE_ID ?? hostname();
  let serving: Projection = await openProjection(await versions.active(), projectionOptions);
  let loop: ConsumerLoop | undefined;
  let stopping = false;
  /** Starting to write, switching versions and stopping happen one at a time. */
  let turn: Promise<unknown> = Promise.resolve();
  const serially = (work: () => Promise<void>) => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };
  const startWriting = (projection: Projection) =>
    projection.consume({
      // One transactional id for whichever instance writes a build: a new writer fences a former one
      // that has not noticed it lost the lease, so its transactions can no longer commit.
      transactionalId: `${projection.version.consumerGroup}-customer-writer`,
      replaying: false,
      onFatal: deps.onFatal,
      clock,
    });

  // One instance writes the customers (its cache is then exact); the others answer reads from the
  // store and take over when the writer stops renewing its lease.
  const lease = createWriterLease(mongo.db, {
    name: "customer_writer",
    holder: instanceId,
    leaseMs: config.SCORING_WRITER_LEASE_SECONDS * 1_000,
    logger,
    onLost: (error) => {
      if (!stopping) deps.onFatal(error);
    },
  });
  // The first instance starts writing before it answers; one that finds another writing stands by.
  const { writing } = await writeOrStandBy(lease, {
    standingBy: (holder) =>
      logger.info(
        { holder },
        "standing by: another scoring instance writes the customers; this one answers reads",
      ),
    write: () =>
      serially(async () => {
        if (stopping) return;
        logger.info({ instanceId }, "this instance writes the customers");
        loop = await startWriting(serving);
      }),
    onFatal: deps.onFatal,
  });

  // A replay activates a new version: start keeping it current (the writer), answer from it, then let
  // the old build go.
  const follower = followActiveVersion({
    versions,
    serving: () => serving.version.version,
    switchTo: (active) =>
      serially(async () => {
        const next = await openProjection(active, projectionOptions);
        const previousLoop = loop;
        if (previousLoop !== undefined && !stopping) loop = await startWriting(next);
        serving = next;
        await previousLoop?.stop();
      }),
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
    await serving.models.record(model);
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
  const backtests = createModelBacktests(mongo.db);
  /** The configured purchase-count model; with auto, the one that predicted best on the latest backtest. */
  const countModelToFit = async (): Promise<{
    countModel: PurchaseCountModelName;
    countModelChoice: string;
  }> => {
    const configured = config.SCORING_PURCHASE_MODEL;
    if (configured !== "auto")
      return { countModel: configured, countModelChoice: `SCORING_PURCHASE_MODEL=${configured}` };
    const latest = await backtests.latest();
    if (latest?.bestModel === undefined)
      return {
        countModel: defaultPurchaseCountModel,
        countModelChoice: "auto: no backtest has fitted a model yet",
      };
    const { calibrationEnd, holdoutEnd } = latest.period;
    return {
      countModel: latest.bestModel,
      countModelChoice:
        `auto: best on the backtest of ${latest.ranAt} (calibration to ` +
        `${new Date(calibrationEnd).toISOString()}, holdout to ${new Date(holdoutEnd).toISOString()})`,
    };
  };
  const fitAsOf = async (asOf: Date) =>
    fitPopulation(serving.store, settings, { asOf, ...(await countModelToFit()) }, clock);
  const backtestNow = async (period: BacktestPeriod, models: PurchaseCountModelName[]) => {
    const backtest = await backtestModels(serving.store, settings, { period, models }, clock);
    await backtests.record(backtest);
    logger.info(
      { bestModel: backtest.bestModel, customers: backtest.customers, durationMs: backtest.durationMs },
      "purchase-count models backtested",
    );
    return backtest;
  };
  const fitNow = () => fitAsOf(clock());
  /** A fit now, or as of a past time. */
  const refitModels = async (asOf?: Date) => recordModel(await fitAsOf(asOf ?? clock()));

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
    every(config.SCORING_REFIT_MINUTES, () => refitModels(), "the scheduled model fit");
    // A new deployment has no model until the first scheduled fit: fit once a minute until the
    // first customers have bought, so RFM, the grid and predictions start within minutes.
    if ((await serving.models.inForce()) === undefined) {
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
        projection: () => serving,
        settings,
        resolveIdentifier: identity.resolve,
        refitModels,
        backtestModels: backtestNow,
        clock,
        logger,
      }),
  });
  const admin = await startAdminServer({
    host: config.BIND_ADDRESS,
    port: config.HTTP_PORT,
    registry,
    isReady: () => !stopping,
  });

  return {
    httpPort: admin.port,
    grpcPort: grpc.port,
    registry,
    tick,
    projectionVersion: () => serving.version.version,
    isWriter: lease.isHeld,
    async stop() {
      stopping = true;
      await follower.stop();
      for (const timer of timers) clearInterval(timer);
      await Promise.all([grpc.stop(), admin.stop()]);
      // The loop stops before the lease is handed over, so that no two instances write at once.
      await serially(async () => {
        await loop?.stop();
        loop = undefined;
      });
      await lease.release();
      await writing;
      identity.close();
      await sender.disconnect();
      await mongo.close();
    },
  };
}
