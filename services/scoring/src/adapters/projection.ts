import type { CrmTopics } from "@rapport/events";
import { type ConsumerLoop, type KafkaMetrics, startConsumerLoop } from "@rapport/kafka";
import type { ProjectionVersion } from "@rapport/mongo";
import type { Logger } from "@rapport/telemetry";
import type { Kafka } from "kafkajs";
import type { MongoClient } from "mongodb";
import type { ScoringSettings } from "../domain/customer-profile.js";
import { customerCache } from "./customer-cache.js";
import { createCustomerStore } from "./customer-store.js";
import { createCustomerWriter } from "./customer-writer.js";
import { createPopulationModels } from "./population-models.js";
import { createRescoreTracker } from "./rescore-tracker.js";
import { createScoringClock } from "./scoring-clock.js";
import { createScoringHandler } from "./scoring-handler.js";

export type ProjectionOptions = {
  client: MongoClient;
  kafka: Kafka;
  topics: CrmTopics;
  settings: ScoringSettings;
  buckets: number;
  /** Customer documents the writer keeps in memory. */
  cachedCustomers: number;
  /** Records of a part of crm.events.resolved, crm.offers or crm.identity. */
  recordsPerPart: number;
  /** Customers per rescore request. */
  rescoreChunk: number;
  /** Partitions the consumer loop handles at once (KAFKA_CONSUMER_CONCURRENCY). */
  consumerConcurrency: number;
  logger: Logger;
  /** Shared by every build's consumer loop: one set of series per consumer group. */
  metrics: KafkaMetrics;
};

/** What scoring folds: customers' events, offers presented, merges, and its own ticks, fits and rescorings. */
export function scoringInputTopics(topics: CrmTopics): string[] {
  return [topics.resolvedEvents, topics.offers, topics.identity, topics.scoring];
}

/** A resolved event is well under a kilobyte: a fetch of this much per record fills a part of a backlog. */
const bytesPerRecord = 1_024;

/** One build of the projections: its store, models and clock in its database. */
export async function openProjection(version: ProjectionVersion, options: ProjectionOptions) {
  const db = options.client.db(version.database);
  const store = await createCustomerStore(db, { buckets: options.buckets });
  const models = createPopulationModels(db);
  const clock = createScoringClock(db);
  return {
    version,
    store,
    models,
    /**
     * Keeps this build current from the four topics, as its one writer (the instance holding the
     * writer's lease, or a replay building a version nobody else writes). A replay publishes no changes
     * (the live build announced them when they happened) and leaves poison records where the live
     * build dead-lettered them; it asks for rescorings on crm.scoring all the same, addressed to itself.
     */
    async consume(loop: {
      transactionalId: string;
      replaying: boolean;
      onFatal: (error: Error) => void;
      clock: () => Date;
    }): Promise<ConsumerLoop> {
      const writer = createCustomerWriter({
        store,
        cache: customerCache(options.cachedCustomers),
        models,
        clock,
        rescores: createRescoreTracker(),
        settings: options.settings,
        build: version.consumerGroup,
        rescoreChunk: options.rescoreChunk,
      });
      await writer.start();
      const handle = createScoringHandler({ writer, topics: options.topics, announces: !loop.replaying });
      return startConsumerLoop({
        kafka: options.kafka,
        groupId: version.consumerGroup,
        topics: scoringInputTopics(options.topics),
        transactionalId: loop.transactionalId,
        deadLetterTopic: options.topics.deadLetter,
        maxRecordsPerTransaction: options.recordsPerPart,
        // A rescore request is a part of its own: each commits, and publishes its changes, alone.
        maxRecordsPerTransactionByTopic: { [options.topics.scoring]: 1 },
        maxBytesPerPartition: Math.max(1_048_576, options.recordsPerPart * bytesPerRecord),
        partitionsConsumedConcurrently: options.consumerConcurrency,
        handleBatch: loop.replaying
          ? async (messages) => {
              const { records } = await handle(messages);
              return { records, poison: [] };
            }
          : handle,
        logger: options.logger,
        metrics: options.metrics,
        onFatal: loop.onFatal,
        clock: loop.clock,
      });
    },
  };
}

export type Projection = Awaited<ReturnType<typeof openProjection>>;
