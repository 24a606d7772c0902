import { Kafka, logLevel } from "kafkajs";

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Brokers as the global setup provides them (comma-separated) or as a list. */
export type Brokers = string | readonly string[];

export function brokerList(brokers: Brokers): string[] {
  return typeof brokers === "string" ? brokers.split(",") : [...brokers];
}

export function testKafka(brokers: Brokers, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: brokerList(brokers), logLevel: logLevel.WARN });
}

/**
 * Creates topics (the broker never auto-creates them) and returns once every partition has a
 * leader, so a producer can write at once.
 */
export async function createTopics(brokers: Brokers, topics: readonly TopicSpec[]): Promise<void> {
  const admin = testKafka(brokers, "rapport-test-admin").admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map(({ name, partitions }) => ({
        topic: name,
        numPartitions: partitions,
        replicationFactor: 1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
