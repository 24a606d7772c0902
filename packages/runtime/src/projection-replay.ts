import { setTimeout as sleep } from "node:timers/promises";
import { nextProjectionVersion, type ProjectionVersion, type ProjectionVersions } from "@rapport/mongo";
import type { Logger } from "@rapport/telemetry";
import type { Admin, Kafka } from "kafkajs";

export type ReplayProgress = { consumed: number; total: number };

export type ReplayResult = { previous: ProjectionVersion; activated: ProjectionVersion; records: number };

/** A consumer keeping one projection version current, as a replay runs it. */
export type ReplayConsumer = { stop(): Promise<void> };

export type ProjectionReplayOptions = {
  kafka: Kafka;
  versions: ProjectionVersions;
  /** Version 1: the service's configured database and consumer group. */
  base: ProjectionVersion;
  /** Every topic the projections fold. */
  topics: readonly string[];
  /**
   * Starts folding the topics from offset zero into `next` (its database, its consumer group),
   * publishing nothing and dead-lettering nothing again: the live version did both when the
   * records were new. `onFatal` fails the replay.
   */
  consume(next: ProjectionVersion, onFatal: (error: Error) => void): Promise<ReplayConsumer>;
  logger: Logger;
  onProgress?: (progress: ReplayProgress) => void;
  /** Fails the replay, activating nothing, when the rebuild makes no progress this long. */
  stallMs?: number;
  clock: () => Date;
};

/**
 * Rebuilds a service's projections from offset zero into the next projection version, beside the
 * one serving, and activates it once it has caught up with the log as it stood when the replay
 * began: running instances (see `followActiveVersion`) switch to it and keep it current from where
 * the replay stopped. The old version's database is left for the operator to drop.
 */
export async function replayIntoNextVersion(options: ProjectionReplayOptions): Promise<ReplayResult> {
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    return await replay(admin, options);
  } finally {
    await admin.disconnect();
  }
}

async function replay(admin: Admin, options: ProjectionReplayOptions): Promise<ReplayResult> {
  const { versions, logger } = options;
  const previous = await versions.active();
  const next = nextProjectionVersion(options.base, previous);
  const targets = await endOffsets(admin, options.topics);
  const total = [...targets.values()].reduce((sum, end) => sum + end, 0);
  logger.info({ from: previous, to: next, records: total }, "replaying projections");

  let failure: Error | undefined;
  const consumer = await options.consume(next, (error) => {
    failure = error;
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
    await consumer.stop();
  }
  await versions.activate(next, options.clock());
  return { previous, activated: next, records: total };
}

/**
 * Keeps a running instance on the active projection version: every `pollMs` it looks, and when a
 * replay has activated another version, `switchTo` starts serving it (and lets the old build go).
 * The new version's consumer group continues where the replay stopped, so nothing is skipped.
 */
export function followActiveVersion(options: {
  versions: ProjectionVersions;
  serving: () => number;
  switchTo: (active: ProjectionVersion) => Promise<void>;
  logger: Logger;
  pollMs?: number;
}): { stop(): Promise<void> } {
  let switching = Promise.resolve();
  const watch = setInterval(() => {
    switching = switching
      .then(async () => {
        const active = await options.versions.active();
        if (active.version === options.serving()) return;
        await options.switchTo(active);
        options.logger.info(
          { version: active.version, database: active.database, consumerGroup: active.consumerGroup },
          "now serving a rebuilt projection version",
        );
      })
      .catch((error) =>
        options.logger.error({ err: error }, "switching to the activated projection version failed"),
      );
  }, options.pollMs ?? 2_000);
  watch.unref();
  return {
    async stop() {
      clearInterval(watch);
      await switching;
    },
  };
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
