import { crmTopics } from "@rapport/events";
import { ensureTopics } from "@rapport/kafka";
import type { Kafka } from "kafkajs";
import type { ScoringConfig } from "../config.js";

/** The topics scoring reads and writes; crm.scoring has one partition so its facts apply in order. */
export async function ensureScoringTopics(kafka: Kafka, config: ScoringConfig): Promise<void> {
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const partitions = config.KAFKA_TOPIC_PARTITIONS;
  const forever = { "retention.ms": "-1" };
  await ensureTopics(kafka, [
    { name: topics.resolvedEvents, partitions, config: forever },
    { name: topics.identity, partitions, config: forever },
    { name: topics.offers, partitions, config: forever },
    { name: topics.customerChanges, partitions, config: forever },
    { name: topics.scoring, partitions: 1, config: forever },
    { name: topics.deadLetter, partitions, config: forever },
  ]);
}
