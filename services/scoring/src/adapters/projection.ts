import type { CrmTopics } from "@rapport/events";
import { type ConsumerLoop, type KafkaMetrics, startConsumerLoop } from "@rapport/kafka";
import type { ProjectionVersion } from "@rapport/mongo";
import type { Logger } from "@rapport/telemetry";
import type { Kafka } from "kafkajs";
import type { MongoClient } from "mongodb";
import type { ScoringSettings } from "../domain/customer-profile.js";
import { createCustomerStore } from "./customer-store.js";
import { createPopulationModels } from "./population-models.js";
import { createScoringClock } from "./scoring-clock.js";
import { createApplyUpdate, createScoringHandler } from "./scoring-handler.js";

export type ProjectionOptions = {
  client: MongoClient;
  kafka: Kafka;
  topics: CrmTopics;
  settings: ScoringSettings;
  buckets: number;
  /** Partitions the consumer loop handles at once (KAFKA_CONSUMER_CONCURRENCY). */
  consumerConcurrency: number;
  logger: Logger;
  /** Shared by every build's consumer loop: one set of series per consumer group. */
  metrics: KafkaMetrics;
};

/** What scoring folds: customers' events, offers presented, merges, and its own ticks and fits. */
export function scoringInputTopics(topics: CrmTopics): string[] {
  return [topics.resolvedEvents, topics.offers, topics.identity, topics.scoring];
}

/** One build of the projections: its store, models and clock in its database. */
export async function openProjection(version: ProjectionVersion, options: ProjectionOptions) {
  const db = options.client.db(version.database);
  const store = await createCustomerStore(db, { buckets: options.buckets });
  await store.ensureIndexes();
  const models = createPopulationModels(db);
  const clock = createScoringClock(db);
  return {
    version,
    store,
    models,
    /**
     * Keeps this build current from the three topics. A replay publishes no changes (the live
     * build announced them when they happened) and leaves poison records where the live build
     * dead-lettered them.
     */
    consume(loop: {
      instanceId: string;
      replaying: boolean;
      onFatal: (error: Error) => void;
      clock: () => Date;
    }): Promise<ConsumerLoop> {
      const handle = createScoringHandler({
        store,
        models,
        clock,
        topics: options.topics,
        settings: options.settings,
        applyUpdate: createApplyUpdate(store, models, clock, options.settings),
      });
      return startConsumerLoop({
        kafka: options.kafka,
        groupId: version.consumerGroup,
        topics: scoringInputTopics(options.topics),
        transactionalId: `${version.consumerGroup}-${loop.instanceId}`,
        deadLetterTopic: options.topics.deadLetter,
        maxRecordsPerTransaction: 200,
        partitionsConsumedConcurrently: options.consumerConcurrency,
        handleBatch: loop.replaying
          ? async (messages) => {
              await handle(messages);
              return { records: [], poison: [] };
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
