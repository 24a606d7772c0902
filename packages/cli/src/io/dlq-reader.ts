import { createKafka } from "@rapport/kafka";
import type { Kafka } from "kafkajs";
import { pino } from "pino";
import { FatalError } from "../cli-errors.js";
import type { DlqKafkaSettings } from "../commands/dlq-options.js";
import type { PartitionExtent } from "../dlq/offset-ranges.js";

/** Kafka for a command run by a person: kafkajs' own retries, its log lines silenced (errors are explained instead). */
export function cliKafka(settings: DlqKafkaSettings): Kafka {
  return createKafka({
    brokers: settings.brokers,
    clientId: "rapport-cli",
    logger: pino({ level: "silent" }),
  });
}

/** Turns a Kafka failure (most often: none is running there) into the sentence an operator needs. */
export function kafkaFailure(settings: DlqKafkaSettings, error: unknown): FatalError {
  if (error instanceof FatalError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FatalError(
    `Kafka at ${settings.brokers.join(",")} failed: ${message}. Is it running (npm start), ` +
      "and are KAFKA_BROKERS or --brokers its address?",
  );
}

/** The extent of every partition of `topic` as it stands now; a missing topic is a FatalError. */
export async function topicExtent(
  kafka: Kafka,
  settings: DlqKafkaSettings,
  topic: string,
): Promise<PartitionExtent[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    throw kafkaFailure(settings, error);
  }
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic))
      throw new FatalError(
        `the dead-letter topic ${topic} does not exist on ${settings.brokers.join(",")}: ` +
          "no service has started there yet, or KAFKA_TOPIC_PREFIX is not the services' prefix",
      );
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets
      .map(({ partition, low, high }) => ({ partition, low: BigInt(low), high: BigInt(high) }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}
