import { crmTopics, rawSources } from "@rapport/events";
import type { TopicSpec } from "@rapport/kafka";
import type { IngestionConfig } from "../config.js";

/** The raw lanes ingestion reads, and the log and its dead letters it writes (kept forever). */
export function ingestionTopics(
  config: Pick<IngestionConfig, "KAFKA_TOPIC_PREFIX" | "KAFKA_TOPIC_PARTITIONS">,
): TopicSpec[] {
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const partitions = config.KAFKA_TOPIC_PARTITIONS;
  const forever = { "retention.ms": "-1" };
  return [
    ...rawSources.map((source) => ({ name: topics.raw(source), partitions })),
    { name: topics.events, partitions, config: forever },
    { name: topics.deadLetter, partitions, config: forever },
  ];
}
