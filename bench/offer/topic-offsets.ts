import { type Admin, Kafka, logLevel } from "kafkajs";

// kafkajs' ConfigResourceTypes.TOPIC (its enum is not a named export of the CommonJS module under ESM).
const topicResource = 2;

import type { BenchEndpoints } from "../shared/bench-infra.js";

export type TopicOffsets = {
  /** The sum of the topic's end offsets (high watermarks) over its partitions. */
  end(topic: string): Promise<number>;
  /** The sum of the group's committed offsets on the topic (a partition without one counts 0). */
  committed(groupId: string, topic: string): Promise<number>;
  /**
   * The largest record batch the broker accepts on the topic: its max.message.bytes (the broker's
   * message.max.bytes unless the topic overrides it), as the broker describes it.
   */
  maxMessageBytes(topic: string): Promise<number>;
  close(): Promise<void>;
};

/**
 * Reads end and committed offsets. On a topic only plain producers wrote, offsets count records; the
 * offer service commits its consumer's offsets in the transaction of each batch, after the batch's
 * facts are stored, so its committed offsets count records it has folded.
 */
export async function connectTopicOffsets(endpoints: BenchEndpoints): Promise<TopicOffsets> {
  const admin: Admin = new Kafka({
    clientId: "rapport-bench-offsets",
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  return {
    async end(topic) {
      const partitions = await admin.fetchTopicOffsets(topic);
      return partitions.reduce((sum, { high }) => sum + Number(high), 0);
    },
    async committed(groupId, topic) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
    },
    async maxMessageBytes(topic) {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: topicResource, name: topic, configNames: ["max.message.bytes"] }],
      });
      const value = resources[0]?.configEntries.find(
        (entry) => entry.configName === "max.message.bytes",
      )?.configValue;
      if (value === undefined) throw new Error(`the broker does not describe max.message.bytes of ${topic}`);
      return Number(value);
    },
    close: () => admin.disconnect(),
  };
}
