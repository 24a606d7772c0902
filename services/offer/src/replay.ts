import { hostname } from "node:os";
import { crmTopics } from "@rapport/events";
import { createKafka, createKafkaMetrics } from "@rapport/kafka";
import { connectMongo, createProjectionVersions, firstProjectionVersion } from "@rapport/mongo";
import { type ReplayProgress, type ReplayResult, replayIntoNextVersion } from "@rapport/runtime";
import { createMetricsRegistry, type Logger } from "@rapport/telemetry";
import { offerInputTopics, openOfferProjection } from "./adapters/offer-projection.js";
import { ensureOfferTopics } from "./adapters/offer-topics.js";
import type { OfferConfig } from "./config.js";

/**
 * Rebuilds the offer service's stores (contact facts, catalog, campaigns) from offset zero of
 * crm.events.resolved, crm.offers, crm.customer.changes and crm.identity into the next projection
 * version, and activates it once it has caught up (`replayIntoNextVersion`): running instances
 * switch to it within seconds. Queues no treatment and dead-letters nothing again. Fails,
 * activating nothing, when the rebuild stops making progress for `stallMs`.
 */
export async function replayOffer(options: {
  config: OfferConfig;
  logger: Logger;
  onProgress?: (progress: ReplayProgress) => void;
  stallMs?: number;
  clock?: () => Date;
}): Promise<ReplayResult> {
  const { config, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: "rapport-offer-replay", logger });
  if (config.KAFKA_CREATE_TOPICS) await ensureOfferTopics(kafka, config);
  const mongo = await connectMongo(config.MONGODB_URI, config.OFFER_DATABASE);
  try {
    const base = firstProjectionVersion(config.OFFER_DATABASE, config.OFFER_CONSUMER_GROUP);
    return await replayIntoNextVersion({
      kafka,
      versions: createProjectionVersions(mongo.db, base),
      base,
      topics: offerInputTopics(topics),
      consume: async (next, onFatal) => {
        const projection = await openOfferProjection(next, {
          client: mongo.client,
          kafka,
          topics,
          buckets: config.OFFER_STORE_BUCKETS,
          consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
          logger,
          // Nobody scrapes a replay: its progress is reported by onProgress.
          metrics: createKafkaMetrics(createMetricsRegistry("offer-replay")),
          scoresOf: () => Promise.reject(new Error("a replay reads no scores: it queues no treatments")),
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
