import type { CrmTopics } from "@rapport/events";
import { type ConsumerLoop, type KafkaMetrics, startConsumerLoop } from "@rapport/kafka";
import { bucketLayoutsCollection, type ProjectionVersion } from "@rapport/mongo";
import type { Logger } from "@rapport/telemetry";
import type { Kafka } from "kafkajs";
import type { Db, MongoClient } from "mongodb";
import type { CustomerScores } from "../domain/customer-scores.js";
import { createCampaignStore } from "./campaign-store.js";
import { createCatalogStore } from "./catalog-store.js";
import { createContactHistories } from "./contact-histories.js";
import { createOfferHandler } from "./offer-handler.js";

export type OfferProjectionOptions = {
  client: MongoClient;
  kafka: Kafka;
  topics: CrmTopics;
  /** OFFER_STORE_BUCKETS. */
  buckets: number;
  /** OFFER_CACHE_CUSTOMERS: contact histories kept in memory. */
  cachedCustomers: number;
  /** OFFER_SCORE_LOOKUPS_IN_FLIGHT. */
  scoreLookupsInFlight: number;
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
  await refuseEarlierContactLayout(db);
  const layout = { buckets: options.buckets };
  const contacts = await createContactHistories(db, { ...layout, cachedCustomers: options.cachedCustomers });
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
        scoreLookupsInFlight: options.scoreLookupsInFlight,
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

/**
 * A database an earlier release built keeps one document per contact fact in `contact_facts`, which
 * this release does not read: opening it would answer as if no customer had any history (no consent,
 * no contacts counted against the caps). Refused instead, saying how to rebuild it.
 */
async function refuseEarlierContactLayout(db: Db): Promise<void> {
  const layouts = db.collection<{ _id: string }>(bucketLayoutsCollection);
  const earlier = await layouts.findOne({ _id: "contact_facts" });
  if (earlier === null) return;
  throw new Error(
    `offer's database ${db.databaseName} keeps contact facts in the layout of an earlier release ` +
      "(contact_facts, one document per fact): rebuild it into the next projection version with " +
      "`npm run rapport -- replay offer`, which folds the log into contact history pages",
  );
}
