import { crmTopics } from "@rapport/events";
import { type ReplayProgress, type ReplayResult, replayService } from "@rapport/runtime";
import type { Logger } from "@rapport/telemetry";
import { openProjection, scoringInputTopics } from "./adapters/projection.js";
import { ensureScoringTopics } from "./adapters/scoring-topics.js";
import { type ScoringConfig, scoringSettingsOf } from "./config.js";

/**
 * Rebuilds every scoring projection from offset zero into the next projection version, beside the
 * one serving, and activates it once it has caught up (`replayIntoNextVersion`): running instances
 * switch to it within seconds. Fails, activating nothing, when the rebuild stops making progress
 * for `stallMs`.
 */
export function replayScoring(options: {
  config: ScoringConfig;
  logger: Logger;
  onProgress?: (progress: ReplayProgress) => void;
  stallMs?: number;
  clock?: () => Date;
}): Promise<ReplayResult> {
  const { config, ...run } = options;
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  return replayService({
    service: {
      name: "scoring",
      brokers: config.KAFKA_BROKERS,
      mongodbUri: config.MONGODB_URI,
      database: config.SCORING_DATABASE,
      consumerGroup: config.SCORING_CONSUMER_GROUP,
      instanceId: config.INSTANCE_ID,
      topics: scoringInputTopics(topics),
      ...(config.KAFKA_CREATE_TOPICS ? { createTopics: (kafka) => ensureScoringTopics(kafka, config) } : {}),
    },
    fold: async ({ kafka, client, version, metrics, instanceId, onFatal, clock }) => {
      const projection = await openProjection(version, {
        client,
        kafka,
        topics,
        settings: scoringSettingsOf(config),
        buckets: config.SCORING_STORE_BUCKETS,
        cachedCustomers: config.SCORING_CACHE_CUSTOMERS,
        recordsPerPart: config.SCORING_RECORDS_PER_PART,
        rescoreChunk: config.SCORING_RESCORE_CHUNK,
        consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
        logger: options.logger,
        metrics,
      });
      // The replay is the one writer of the version it builds until it is activated.
      return projection.consume({
        transactionalId: `${version.consumerGroup}-${instanceId}`,
        replaying: true,
        onFatal,
        clock,
      });
    },
    ...run,
  });
}
