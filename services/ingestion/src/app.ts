import type { Server } from "node:http";
import { hostname } from "node:os";
import { crmTopics, rawSources } from "@rapport/events";
import { startGrpcServer } from "@rapport/grpc";
import {
  connectRecordSender,
  createKafka,
  createKafkaMetrics,
  ensureTopics,
  startConsumerLoop,
} from "@rapport/kafka";
import { connectMongo } from "@rapport/mongo";
import { createMetricsRegistry, type Logger, type Registry } from "@rapport/telemetry";
import { createEventMarks } from "./adapters/event-marks.js";
import { registerIngestionService } from "./adapters/grpc-service.js";
import { createHttpApp, listen } from "./adapters/http-server.js";
import { createIngestionMetrics } from "./adapters/ingestion-metrics.js";
import { ingestionTopics } from "./adapters/ingestion-topics.js";
import { createRawEventsHandler } from "./adapters/raw-events-handler.js";
import type { IngestionConfig } from "./config.js";
import { type AdmissionRules, createAdmission } from "./domain/admission.js";
import { createFrontDoor } from "./front-door.js";

export { ingestionTopics } from "./adapters/ingestion-topics.js";
export { loadIngestionConfig } from "./config.js";

export type IngestionServiceDependencies = {
  config: IngestionConfig;
  logger: Logger;
  /** Called when the raw-topic consumer cannot go on; main exits so the process is restarted. */
  onFatal: (error: Error) => void;
  registry?: Registry;
  clock?: () => Date;
};

export type RunningIngestionService = {
  httpPort: number;
  grpcPort: number;
  registry: Registry;
  stop(): Promise<void>;
};

export function admissionRulesOf(config: IngestionConfig): AdmissionRules {
  return {
    defaultPhoneRegion: config.DEFAULT_PHONE_REGION,
    maxEventBytes: config.MAX_EVENT_BYTES,
    maxFutureSkewMs: config.MAX_FUTURE_SKEW_SECONDS * 1000,
    weblog: {
      visitorCookieField: config.WEBLOG_VISITOR_COOKIE_FIELD,
      visitorCookieName: config.WEBLOG_VISITOR_COOKIE_NAME,
      ownHosts: config.WEBLOG_OWN_HOSTS,
      staticAssetExtensions: config.WEBLOG_STATIC_EXTENSIONS,
    },
  };
}

/** Starts ingestion: the raw-topic consumer, the HTTP front door and admin endpoints, and gRPC. */
export async function startIngestionService(
  deps: IngestionServiceDependencies,
): Promise<RunningIngestionService> {
  const { config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const registry = deps.registry ?? createMetricsRegistry("ingestion");
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const rawTopics = rawSources.map((source) => topics.raw(source));
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID ?? "rapport-ingestion",
    logger,
  });
  if (config.KAFKA_CREATE_TOPICS) await ensureTopics(kafka, ingestionTopics(config));

  const mongo = await connectMongo(config.MONGODB_URI, config.INGESTION_DATABASE, { registry });
  const metrics = createIngestionMetrics(registry);
  const kafkaMetrics = createKafkaMetrics(registry);
  const admission = createAdmission(admissionRulesOf(config));
  const sender = await connectRecordSender(kafka);
  const frontDoor = createFrontDoor({
    admission,
    sender,
    topics,
    metrics,
    kafkaMetrics,
    clock,
  });
  const consumerGroup = config.INGESTION_CONSUMER_GROUP;
  let consuming = false;
  const loop = await startConsumerLoop({
    kafka,
    groupId: consumerGroup,
    topics: rawTopics,
    transactionalId: `${consumerGroup}-${config.INSTANCE_ID ?? hostname()}`,
    deadLetterTopic: topics.deadLetter,
    partitionsConsumedConcurrently: config.KAFKA_CONSUMER_CONCURRENCY,
    handleBatch: createRawEventsHandler({
      admission,
      marks: createEventMarks(mongo.db),
      topics,
      consumerGroup,
      metrics,
      clock,
    }),
    logger,
    metrics: kafkaMetrics,
    onFatal: deps.onFatal,
    clock,
  });
  consuming = true;

  const http: Server = await listen(
    createHttpApp({
      frontDoor,
      writeKeys: config.INGESTION_WRITE_KEYS,
      limits: {
        maxRequestBytes: config.MAX_REQUEST_BYTES,
        maxEventsPerRequest: config.MAX_EVENTS_PER_REQUEST,
      },
      registry,
      isReady: () => consuming,
      logger,
    }),
    config.BIND_ADDRESS,
    config.HTTP_PORT,
  );
  const grpc = await startGrpcServer({
    host: config.BIND_ADDRESS,
    port: config.GRPC_PORT,
    serviceNames: ["crm.v1.IngestionService"],
    registry,
    register: (server) =>
      registerIngestionService(server, {
        frontDoor,
        writeKeys: config.INGESTION_WRITE_KEYS,
        maxEventsPerRequest: config.MAX_EVENTS_PER_REQUEST,
        logger,
      }),
  });
  const address = http.address();

  return {
    httpPort: typeof address === "object" && address ? address.port : config.HTTP_PORT,
    grpcPort: grpc.port,
    registry,
    async stop() {
      consuming = false;
      await Promise.all([grpc.stop(), new Promise<void>((resolve) => http.close(() => resolve()))]);
      await loop.stop();
      await sender.disconnect();
      await mongo.close();
    },
  };
}
