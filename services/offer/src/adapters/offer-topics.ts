import { crmTopics } from "@rapport/events";
import { ensureTopics, type TopicSpec } from "@rapport/kafka";
import type { Kafka } from "kafkajs";
import type { OfferConfig } from "../config.js";

type TopicSettings = Pick<OfferConfig, "KAFKA_TOPIC_PREFIX" | "KAFKA_TOPIC_PARTITIONS">;

/** The topics the offer service reads and writes, kept forever like the rest of the log. */
export function offerTopics(config: TopicSettings): TopicSpec[] {
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const partitions = config.KAFKA_TOPIC_PARTITIONS;
  const forever = { "retention.ms": "-1" };
  return [
    { name: topics.resolvedEvents, partitions, config: forever },
    { name: topics.identity, partitions, config: forever },
    { name: topics.offers, partitions, config: forever },
    { name: topics.customerChanges, partitions, config: forever },
    { name: topics.raw("consents"), partitions, config: forever },
    { name: topics.deadLetter, partitions, config: forever },
  ];
}

export async function ensureOfferTopics(kafka: Kafka, config: TopicSettings): Promise<void> {
  await ensureTopics(kafka, offerTopics(config));
}
