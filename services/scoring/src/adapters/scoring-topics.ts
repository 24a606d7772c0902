import { crmTopics } from "@rapport/events";
import { ensureTopics, type TopicSpec } from "@rapport/kafka";
import type { Kafka } from "kafkajs";
import type { ScoringConfig } from "../config.js";

type TopicSettings = Pick<ScoringConfig, "KAFKA_TOPIC_PREFIX" | "KAFKA_TOPIC_PARTITIONS">;

/** The topics scoring reads and writes; crm.scoring has one partition so its facts apply in order. */
export function scoringTopics(config: TopicSettings): TopicSpec[] {
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const partitions = config.KAFKA_TOPIC_PARTITIONS;
  const forever = { "retention.ms": "-1" };
  return [
    { name: topics.resolvedEvents, partitions, config: forever },
    { name: topics.identity, partitions, config: forever },
    { name: topics.offers, partitions, config: forever },
    { name: topics.customerChanges, partitions, config: forever },
    { name: topics.scoring, partitions: 1, config: forever },
    { name: topics.deadLetter, partitions, config: forever },
  ];
}

export async function ensureScoringTopics(kafka: Kafka, config: TopicSettings): Promise<void> {
  await ensureTopics(kafka, scoringTopics(config));
}
