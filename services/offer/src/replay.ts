import { crmTopics } from "@rapport/events";
import { type ReplayProgress, type ReplayResult, replayService } from "@rapport/runtime";
import type { Logger } from "@rapport/telemetry";
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
export function replayOffer(options: {
  config: OfferConfig;
  logger: Logger;
  onProgress?: (progress: ReplayProgress) => void;
  stallMs?: number;
  clock?: () => Date;
}): Promise<ReplayResult> {
  const { config, ...run } = options;
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  return replayService({
    service: {
      name: "offer",
      brokers: config.KAFKA_BROKERS,
      mongodbUri: config.MONGODB_URI,
      database: config.OFFER_DATABASE,
      consumerGroup: config.OFFER_CONSUMER_GROUP,
      instanceId: config.INSTANCE_ID,
      topics: offerInputTopics(topics),
      ...(config.KAFKA_CREATE_TOPICS ? { createTopics: (kafka) => ensureOfferTopics(kafka, config) } : {}),
    },
    fold: async ({ kafka, client, version, metrics, instanceId, onFatal, clock }) => {
      const projection = await openOfferProjection(version, {
        client,
        kafka,
        topics,
        buckets: config.OFFER_STORE_BUCKETS,
        cachedCustomers: config.OFFER_CACHE_CUSTOMERS,
        scoreLookupsInFlight: config.OFFER_SCORE_LOOKUPS_IN_FLIGHT,
        consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
        logger: options.logger,
        metrics,
        scoresOf: () => Promise.reject(new Error("a replay reads no scores: it queues no treatments")),
      });
      return projection.consume({ instanceId, replaying: true, onFatal, clock });
    },
    ...run,
  });
}
