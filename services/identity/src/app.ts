import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { context } from "@opentelemetry/api";
import { crmTopics } from "@rapport/events";
import { startGrpcServer } from "@rapport/grpc";
import {
  type ConsumerLoop,
  connectRecordSender,
  createKafka,
  createKafkaMetrics,
  ensureTopics,
  startConsumerLoop,
  traceHeaders,
} from "@rapport/kafka";
import { connectMongo, type ProjectionVersion } from "@rapport/mongo";
import { createWriterLease, followActiveVersion, startAdminServer, writeOrStandBy } from "@rapport/runtime";
import { createMetricsRegistry, type Logger, type Registry } from "@rapport/telemetry";
import { decisionRecord } from "./adapters/decision-records.js";
import { createDecisionWaiters } from "./adapters/decision-waiters.js";
import { registerIdentityService } from "./adapters/grpc-service.js";
import { createIdentityMetrics } from "./adapters/identity-metrics.js";
import { createIdentitySwitch } from "./adapters/identity-switch.js";
import { decisionLogTopic, identityTopics } from "./adapters/identity-topics.js";
import { identityVersions, openIdentityVersion } from "./adapters/identity-version.js";
import { createPersonDecisionsHandler } from "./adapters/person-decisions-handler.js";
import { createResolvedEventsHandler } from "./adapters/resolved-events-handler.js";
import { type IdentityConfig, identityRulesOf } from "./config.js";
import type { PersonDecision } from "./domain/person-decisions.js";

export { identityTopics } from "./adapters/identity-topics.js";
export { loadIdentityConfig } from "./config.js";
export { replayIdentity } from "./replay.js";

/** How often a decider waiting for a replay's switch looks again. */
const switchPollMs = 500;

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
  /** The build of the graph deciding and answering now (a replay activates the next one). */
  graphVersion(): number;
  /** Whether this instance writes the graph now (holds the writer's lease) rather than standing by. */
  isWriter(): boolean;
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

  const mongo = await connectMongo(config.MONGODB_URI, config.IDENTITY_DATABASE, { registry });
  const versions = identityVersions(mongo.db, config);
  const identitySwitch = createIdentitySwitch(mongo.db);
  const open = (version: ProjectionVersion) =>
    openIdentityVersion(version, { client: mongo.client, config, logger });
  let serving = await open(await versions.active());
  let switching = Promise.resolve();
  /** Decides and answers on `active` from now on; switches run one at a time, a failed one is tried again. */
  const switchTo = (active: ProjectionVersion) => {
    switching = switching
      .catch(() => undefined)
      .then(async () => {
        if (active.version === serving.version.version) return;
        serving = await open(active);
        logger.info(
          { version: active.version, database: active.database },
          "now serving a rebuilt identity graph",
        );
      });
    return switching;
  };
  // An idle instance (no events to decide) switches within seconds too, for its gRPC answers.
  const follower = followActiveVersion({
    versions,
    serving: () => serving.version.version,
    switchTo,
    logger,
  });
  /** Before a part is decided: waits while a replay's switch is pending, then decides on the active version. */
  const decideOnActiveVersion = async () => {
    while ((await identitySwitch.pending(new Date())) !== undefined) await sleep(switchPollMs);
    const active = await versions.active();
    if (active.version !== serving.version.version) await switchTo(active);
  };

  const metrics = createIdentityMetrics(registry);
  const decisionLog = decisionLogTopic(config.KAFKA_TOPIC_PREFIX);
  const sender = await connectRecordSender(kafka);
  const appendDecision = (decision: PersonDecision) =>
    sender.send([decisionRecord(decisionLog, decision, traceHeaders(context.active()))]);
  const waiters = createDecisionWaiters();
  const resolveEvents = createResolvedEventsHandler({
    resolveEvents: (events, place) =>
      serving.writer.resolveEvents(events, place === undefined ? {} : { place }),
    topics,
    metrics,
  });
  const applyDecisions = createPersonDecisionsHandler({
    decide: (decisions) => serving.writer.decidePersonDecisions(decisions),
    topics,
    onDecided: (decision, outcome) => {
      waiters.settle(decision, outcome);
      if (outcome.kind === "refused")
        logger.warn(
          { decisionId: decision.eventId, reason: outcome.refusal.reason, detail: outcome.refusal.detail },
          "a logged decision no longer applied: refused",
        );
      else logger.info({ decisionId: decision.eventId, type: decision.type }, "a logged decision applied");
    },
  });
  const consumerGroup = config.IDENTITY_CONSUMER_GROUP;
  const instanceId = config.INSTANCE_ID ?? hostname();
  let stopping = false;
  const lease = createWriterLease(mongo.db, {
    name: "graph_writer",
    holder: instanceId,
    leaseMs: config.IDENTITY_WRITER_LEASE_SECONDS * 1_000,
    logger,
    onLost: (error) => {
      if (!stopping) deps.onFatal(error);
    },
  });

  const refit = async () => {
    const report = await serving.matcher.fit(clock);
    if (!report.fitted)
      logger.info({ records: report.records }, `probabilistic matching waits: ${report.reason}`);
  };
  // Until there is a model, fitting is tried every minute (customers arrive after the start);
  // then the model is fitted again every IDENTITY_MATCH_REFIT_MINUTES.
  let refitTimer: NodeJS.Timeout | undefined;
  const scheduleRefit = () => {
    const delayMs = serving.matcher.hasModel() ? config.IDENTITY_MATCH_REFIT_MINUTES * 60_000 : 60_000;
    refitTimer = setTimeout(() => {
      refit()
        .catch((error) => logger.error({ err: error }, "fitting the match model failed"))
        .finally(() => {
          if (!stopping) scheduleRefit();
        });
    }, delayMs);
    refitTimer.unref();
  };

  /**
   * The writer's work, once this instance holds the lease: resolving crm.events, applying the
   * decision log, and fitting the match model.
   */
  const startWriting = async (): Promise<ConsumerLoop> => {
    if (!serving.matcher.hasModel()) await refit();
    scheduleRefit();
    return startConsumerLoop({
      kafka,
      groupId: consumerGroup,
      topics: [topics.events, decisionLog],
      // One transactional id for whichever instance writes: a new writer fences a former one that
      // has not noticed it lost the lease, so its transactions can no longer commit.
      transactionalId: `${consumerGroup}-graph-writer`,
      deadLetterTopic: topics.deadLetter,
      maxRecordsPerTransaction: 2_000,
      partitionsConsumedConcurrently: config.KAFKA_CONSUMER_CONCURRENCY,
      handleBatch: async (messages) => {
        await decideOnActiveVersion();
        const decidedOn = serving.version.version;
        const handle = messages[0]?.topic === decisionLog ? applyDecisions : resolveEvents;
        return {
          ...(await handle(messages)),
          // Checked right before the part is sent: a part decided on a graph a replay is replacing is
          // withdrawn and decided again on the new one (replay identity applies what was sent before).
          beforeCommit: async () => {
            const [pending, active] = await Promise.all([
              identitySwitch.pending(new Date()),
              versions.active(),
            ]);
            if (pending !== undefined || active.version !== decidedOn)
              throw new Error(
                "a replay is switching identity to its rebuilt graph: this part is decided again on the new graph",
              );
          },
        };
      },
      logger,
      metrics: createKafkaMetrics(registry),
      onFatal: deps.onFatal,
      clock,
    });
  };
  let loop: ConsumerLoop | undefined;
  // The first instance starts writing before it answers; one that finds another writing stands by.
  const { writing } = await writeOrStandBy(lease, {
    standingBy: (holder) =>
      logger.info(
        { holder },
        "standing by: another identity instance writes the graph; this one answers reads",
      ),
    write: async () => {
      if (stopping) return;
      logger.info({ instanceId }, "this instance writes the identity graph");
      loop = await startWriting();
    },
    onFatal: deps.onFatal,
  });

  const grpc = await startGrpcServer({
    host: config.BIND_ADDRESS,
    port: config.GRPC_PORT,
    serviceNames: ["crm.v1.IdentityService"],
    registry,
    register: (server) =>
      registerIdentityService(server, {
        serving: () => serving,
        isWriter: lease.isHeld,
        pendingSwitch: () => identitySwitch.pending(new Date()),
        rules,
        appendDecision,
        waiters,
        identifierRules: { defaultPhoneRegion: config.DEFAULT_PHONE_REGION },
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
    graphVersion: () => serving.version.version,
    isWriter: lease.isHeld,
    async stop() {
      stopping = true;
      clearTimeout(refitTimer);
      await follower.stop();
      await Promise.all([grpc.stop(), admin.stop()]);
      await writing;
      await loop?.stop();
      await lease.release();
      await sender.disconnect();
      await mongo.close();
    },
  };
}
