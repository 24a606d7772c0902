import { hostname } from "node:os";
import { crmTopics } from "@rapport/events";
import { createKafka, createKafkaMetrics } from "@rapport/kafka";
import { connectMongo, createProjectionVersions, firstProjectionVersion } from "@rapport/mongo";
import { type ReplayProgress, type ReplayResult, replayIntoNextVersion } from "@rapport/runtime";
import { createMetricsRegistry, type Logger } from "@rapport/telemetry";
import { openProjection, scoringInputTopics } from "./adapters/projection.js";
import { ensureScoringTopics } from "./adapters/scoring-topics.js";
import { type ScoringConfig, scoringSettingsOf } from "./config.js";

/**
 * Rebuilds every scoring projection from offset zero into the next projection version, beside the
 * one serving, and activates it once it has caught up (`replayIntoNextVersion`): running instances
 * switch to it within seconds. Fails, activating nothing, when the rebuild stops making progress
 * for `stallMs`.
 */
export async function replayScoring(options: {
  config: ScoringConfig;
  logger: Logger;
  onProgress?: (progress: ReplayProgress) => void;
  stallMs?: number;
  clock?: () => Date;
}): Promise<ReplayResult> {
  const { config, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: "rapport-scoring-replay", logger });
  if (config.KAFKA_CREATE_TOPICS) await ensureScoringTopics(kafka, config);
  const mongo = await connectMongo(config.MONGODB_URI, config.SCORING_DATABASE);
  try {
    const base = firstProjectionVersion(config.SCORING_DATABASE, config.SCORING_CONSUMER_GROUP);
    return await replayIntoNextVersion({
      kafka,
      versions: createProjectionVersions(mongo.db, base),
      base,
      topics: scoringInputTopics(topics),
      consume: async (next, onFatal) => {
        const projection = await openProjection(next, {
          client: mongo.client,
          kafka,
          topics,
          settings: scoringSettingsOf(config),
          buckets: config.SCORING_STORE_BUCKETS,
          consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
          logger,
          // Nobody scrapes a replay: its progress is reported by onProgress.
          metrics: createKafkaMetrics(createMetricsRegistry("scoring-replay")),
        });
        return projection.consume({
          instanceId: `replay-${config.INSTANCE_ID ?? hostname()}`,
          replaying: true,
          onFatal,
          clock,
        });
      },
      logger,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.stallMs === undefined ? {} : { stallMs: options.stallMs }),
      clock,
    });
  } finally {
    await mongo.close();
  }
}
