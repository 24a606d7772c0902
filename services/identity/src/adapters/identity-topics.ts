import { crmTopics } from "@rapport/events";
import type { TopicSpec } from "@rapport/kafka";
import type { IdentityConfig } from "../config.js";

/**
 * Identity's decision log: the splits and match decisions people take over gRPC, appended before
 * anything changes and applied from there by the graph writer. Identity's own: only it writes and reads it.
 */
export function decisionLogTopic(prefix: string): string {
  return `${prefix}crm.identity.decisions`;
}

/** The log identity reads, and the topics it writes, all kept forever. */
export function identityTopics(
  config: Pick<IdentityConfig, "KAFKA_TOPIC_PREFIX" | "KAFKA_TOPIC_PARTITIONS">,
): TopicSpec[] {
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const partitions = config.KAFKA_TOPIC_PARTITIONS;
  const forever = { "retention.ms": "-1" };
  return [
    { name: topics.events, partitions, config: forever },
    { name: decisionLogTopic(config.KAFKA_TOPIC_PREFIX), partitions, config: forever },
    { name: topics.resolvedEvents, partitions, config: forever },
    { name: topics.identity, partitions, config: forever },
    { name: topics.deadLetter, partitions, config: forever },
  ];
}
