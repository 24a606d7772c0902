import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { crmTopics } from "@rapport/events";
import { createKafka, createKafkaMetrics } from "@rapport/kafka";
import { connectMongo } from "@rapport/mongo";
import { createMetricsRegistry, type Logger } from "@rapport/telemetry";
import type { Admin } from "kafkajs";
import { openProjection, scoringInputTopics } from "./adapters/projection.js";
import {
  createProjectionVersions,
  firstProjectionVersion,
  nextProjectionVersion,
  type ProjectionVersion,
} from "./adapters/projection-versions.js";
import { ensureScoringTopics } from "./adapters/scoring-topics.js";
import { type ScoringConfig, scoringSettingsOf } from "./config.js";

export type ReplayProgress = { consumed: number; total: number };

export type ReplayResult = { previous: ProjectionVersion; activated: ProjectionVersion; records: number };

/**
 * Rebuilds every scoring projection from offset zero into the next projection version, beside the
 * one serving, and activates it once it has caught up with the log as it stood when the replay
 * began: running instances switch to it within seconds and keep it current from where the replay
 * stopped. The old version's database is left for the operator to drop. Fails, activating nothing,
 * when the rebuild stops making progress for `stallMs`.
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
  const admin = kafka.admin();
  await admin.connect();
  try {
    const base = firstProjectionVersion(config.SCORING_DATABASE, config.SCORING_CONSUMER_GROUP);
    const versions = createProjectionVersions(mongo.db, base);
    const previous = await versions.active();
    const next = nextProjectionVersion(base, previous);
    const replayedTopics = scoringInputTopics(topics);
    const targets = await endOffsets(admin, replayedTopics);
    const total = [...targets.values()].reduce((sum, end) => sum + end, 0);
    logger.info({ from: previous, to: next, records: total }, "replaying scoring");

    const projection = await openProjection(next, {
      client: mongo.client,
      kafka,
      topics,
      settings: scoringSettingsOf(config),
      buckets: config.SCORING_STORE_BUCKETS,
      logger,
      // Nobody scrapes a replay: its progress is reported by onProgress.
      metrics: createKafkaMetrics(createMetricsRegistry("scoring-replay")),
    });
    let failure: Error | undefined;
    const loop = await projection.consume({
      instanceId: `replay-${config.INSTANCE_ID ?? hostname()}`,
      replaying: true,
      onFatal: (error) => {
        failure = error;
      },
      clock,
    });
    try {
      const stallMs = options.stallMs ?? 120_000;
      let consumed = -1;
      let progressedAt = Date.now();
      for (;;) {
        if (failure) throw failure;
        const position = await committedPosition(admin, next.consumerGroup, targets);
        if (position.consumed !== consumed) {
          consumed = position.consumed;
          progressedAt = Date.now();
          options.onProgress?.({ consumed, total });
        }
        if (position.caughtUp) break;
        if (Date.now() - progressedAt > stallMs)
          throw new Error(
            `the replay made no progress for ${stallMs / 1000} s at ${consumed} of ${total} records; ` +
              "is the broker reachable? nothing was activated",
          );
        await sleep(500);
      }
    } finally {
      await loop.stop();
    }
    await versions.activate(next, clock());
    return { previous, activated: next, records: total };
  } finally {
    await admin.disconnect();
    await mongo.close();
  }
}

/** The end offset of every partition of the topics, as `topic:partition` → offset. */
async function endOffsets(admin: Admin, topics: readonly string[]): Promise<Map<string, number>> {
  const ends = new Map<string, number>();
  for (const topic of topics) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      ends.set(`${topic}:${partition}`, Number(high));
  }
  return ends;
}

/**
 * How far the group has committed, counting each partition up to its target. A partition written
 * in transactions ends in a commit marker no consumer commits past, so one short of the end counts
 * as caught up: should that last offset be a record after all, the instances that take the group
 * over at activation handle it.
 */
async function committedPosition(
  admin: Admin,
  groupId: string,
  targets: Map<string, number>,
): Promise<{ consumed: number; caughtUp: boolean }> {
  const topics = [...new Set([...targets.keys()].map((key) => key.slice(0, key.lastIndexOf(":"))))];
  const committed = new Map<string, number>();
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
    for (const { partition, offset } of partitions)
      committed.set(`${topic}:${partition}`, Math.max(Number(offset), 0));
  }
  let consumed = 0;
  let caughtUp = true;
  for (const [key, target] of targets) {
    const offset = Math.min(committed.get(key) ?? 0, target);
    consumed += offset;
    if (offset < target - 1) caughtUp = false;
  }
  return { consumed, caughtUp };
}
