import type { Admin, Kafka } from "kafkajs";

export type TopicSpec = { name: string; partitions: number; config?: Record<string, string> };

const leaderWaitMs = 60_000;

/**
 * Creates the topics that do not exist yet and waits until every partition of them has a leader;
 * existing topics are left as they are. Services starting together (npm start, docker compose)
 * create the same topics at the same moment: whichever creates a topic, both wait for its leaders.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return;
    // kafkajs' own waitForLeaders gives up when the metadata does not know a topic yet
    // (UNKNOWN_TOPIC_OR_PARTITION), which is what a topic another client has just created looks like.
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        configEntries: Object.entries(topic.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    await waitForLeaders(
      admin,
      missing.map((topic) => topic.name),
    );
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, names: string[]): Promise<void> {
  const deadline = Date.now() + leaderWaitMs;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const led = topics.every(
        (topic) =>
          topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
      );
      if (led) return;
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`the partitions of ${names.join(", ")} had no leaders after ${leaderWaitMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
