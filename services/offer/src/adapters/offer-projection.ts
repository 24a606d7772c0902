import type { CrmTopics } from "@rapport/events";
import { type ConsumerLoop, type KafkaMetrics, startConsumerLoop } from "@rapport/kafka";
import type { ProjectionVersion } from "@rapport/mongo";
import type { Logger } from "@rapport/telemetry";
import type { Kafka } from "kafkajs";
import type { MongoClient } from "mongodb";
import type { CustomerScores } from "../domain/customer-scores.js";
import { createCampaignStore } from "./campaign-store.js";
import { createCatalogStore } from "./catalog-store.js";
import { createContactStore } from "./contact-store.js";
import { createOfferHandler } from "./offer-handler.js";

export type OfferProjectionOptions = {
  client: MongoClient;
  kafka: Kafka;
  topics: CrmTopics;
  buckets: number;
  /** Partitions the consumer loop handles at once (KAFKA_CONSUMER_CONCURRENCY). */
  consumerConcurrency: number;
  logger: Logger;
  /** The consumer metrics of the process (a replay passes a registry nobody scrapes). */
  metrics: KafkaMetrics;
  /** The customer's current scores, for the treatments a live build queues. */
  scoresOf: (customerId: string) => Promise<CustomerScores | undefined>;
};

/** What the offer service folds: customers' events, its own log, scoring's changes and merges. */
export function offerInputTopics(topics: CrmTopics): string[] {
  return [topics.resolvedEvents, topics.offers, topics.customerChanges, topics.identity];
}

/** One build of the offer service's stores (contact facts, catalog, campaigns) in its database. */
export async function openOfferProjection(version: ProjectionVersion, options: OfferProjectionOptions) {
  const db = options.client.db(version.database);
  const layout = { buckets: options.buckets };
  const contacts = await createContactStore(db, layout);
  await contacts.ensureIndexes();
  const catalog = createCatalogStore(db);
  const campaigns = await createCampaignStore(db, layout);
  return {
    version,
    contacts,
    catalog,
    campaigns,
    /**
     * Keeps this build current from the input topics. A replay queues no treatments (the live
     * build queued them on crm.offers, where the replay folds them) and leaves poison records where
     * the live build dead-lettered them.
     */
    consume(loop: {
      instanceId: string;
      replaying: boolean;
      onFatal: (error: Error) => void;
      clock: () => Date;
    }): Promise<ConsumerLoop> {
      const handle = createOfferHandler({
        contacts,
        catalog,
        campaigns,
        topics: options.topics,
        scoresOf: options.scoresOf,
        reacting: !loop.replaying,
      });
      return startConsumerLoop({
        kafka: options.kafka,
        groupId: version.consumerGroup,
        topics: offerInputTopics(options.topics),
        transactionalId: `${version.consumerGroup}-${loop.instanceId}`,
        deadLetterTopic: options.topics.deadLetter,
        maxRecordsPerTransaction: 200,
        partitionsConsumedConcurrently: options.consumerConcurrency,
        metrics: options.metrics,
        handleBatch: loop.replaying
          ? async (messages) => {
              await handle(messages);
              return { records: [], poison: [] };
            }
          : handle,
        logger: options.logger,
        onFatal: loop.onFatal,
        clock: loop.clock,
      });
    },
  };
}

export type OfferProjection = Awaited<ReturnType<typeof openOfferProjection>>;
