import { hostname } from "node:os";
import { createKafka, createKafkaMetrics, type KafkaMetrics } from "@rapport/kafka";
import {
  connectMongo,
  createProjectionVersions,
  firstProjectionVersion,
  type MongoConnection,
  type ProjectionVersion,
} from "@rapport/mongo";
import { createMetricsRegistry, type Logger } from "@rapport/telemetry";
import type { Kafka } from "kafkajs";
import {
  type ReplayConsumer,
  type ReplayProgress,
  type ReplayResult,
  replayIntoNextVersion,
} from "./projection-replay.js";

/** Where a service's projections live and what they fold, as its configuration names them. */
export type ReplayedService = {
  name: string;
  brokers: string[];
  mongodbUri: string;
  /** The configured database and consumer group: version 1 of the projections. */
  database: string;
  consumerGroup: string;
  instanceId: string | undefined;
  /** Every topic the projections fold. */
  topics: readonly string[];
  /** Creates the service's topics when they are missing (KAFKA_CREATE_TOPICS); absent: leave them. */
  createTopics?: (kafka: Kafka) => Promise<void>;
};

/** Opens the projections of `version` and starts folding the topics into them, publishing nothing. */
export type FoldIntoVersion = (build: {
  kafka: Kafka;
  client: MongoConnection["client"];
  version: ProjectionVersion;
  /** Nobody scrapes a replay (its progress goes to onProgress): a registry of its own. */
  metrics: KafkaMetrics;
  instanceId: string;
  onFatal: (error: Error) => void;
  clock: () => Date;
}) => Promise<ReplayConsumer>;

export type ServiceReplayOptions = {
  service: ReplayedService;
  fold: FoldIntoVersion;
  logger: Logger;
  onProgress?: (progress: ReplayProgress) => void;
  stallMs?: number;
  clock?: () => Date;
};

/**
 * `replay <service>`: connects to the service's broker and database and rebuilds its projections
 * into the next version with `replayIntoNextVersion`; running instances switch to it within seconds.
 */
export async function replayService(options: ServiceReplayOptions): Promise<ReplayResult> {
  const { service, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const kafka = createKafka({ brokers: service.brokers, clientId: `rapport-${service.name}-replay`, logger });
  await service.createTopics?.(kafka);
  const mongo = await connectMongo(service.mongodbUri, service.database);
  try {
    const base = firstProjectionVersion(service.database, service.consumerGroup);
    return await replayIntoNextVersion({
      kafka,
      versions: createProjectionVersions(mongo.db, base),
      base,
      topics: service.topics,
      consume: (version, onFatal) =>
        options.fold({
          kafka,
          client: mongo.client,
          version,
          metrics: createKafkaMetrics(createMetricsRegistry(`${service.name}-replay`)),
          instanceId: `replay-${service.instanceId ?? hostname()}`,
          onFatal,
          clock,
        }),
      logger,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.stallMs === undefined ? {} : { stallMs: options.stallMs }),
      clock,
    });
  } finally {
    await mongo.close();
  }
}
