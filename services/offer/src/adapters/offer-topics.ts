import { crmTopics } from "@rapport/events";
import { ensureTopics } from "@rapport/kafka";
import type { Kafka } from "kafkajs";
import type { OfferConfig } from "../config.js";

/** The topics the offer service reads and writes, kept forever like the rest of the log. */
export async function ensureOfferTopics(kafka: Kafka, config: OfferConfig): Promise<void> {
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const partitions = config.KAFKA_TOPIC_PARTITIONS;
  const forever = { "retention.ms": "-1" };
  await ensureTopics(kafka, [
    { name: topics.resolvedEvents, partitions, config: forever },
    { name: topics.identity, partitions, config: forever },
    { name: topics.offers, partitions, config: forever },
    { name: topics.customerChanges, partitions, config: forever },
    { name: topics.raw("consents"), partitions, config: forever },
    { name: topics.deadLetter, partitions, config: forever },
  ]);
}
