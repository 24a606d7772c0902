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
    await admin
      .createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          configEntries: Object.entries(topic.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      })
      .catch((error: Error & { errors?: { topic?: string; message: string }[] }) => {
        const perTopic = (error.errors ?? []).map((each) => `${each.topic}: ${each.message}`);
        throw new Error(
          `Kafka refused to create topics (${perTopic.join("; ") || error.message}); check the broker's ` +
            "log and that this client may create topics, or create them beforehand and set KAFKA_CREATE_TOPICS=false",
          { cause: error },
        );
      });
    await waitForLeaders(
      admin,
      missing.map((topic) => topic.name),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Asks for the whole topic list until the new topics are in it, and only then for their partitions:
 * a Metadata request naming a topic the broker does not know yet is answered
 * UNKNOWN_TOPIC_OR_PARTITION, which kafkajs logs at error level although it is only early.
 */
async function waitForLeaders(admin: Admin, names: string[]): Promise<void> {
  const deadline = Date.now() + leaderWaitMs;
  for (;;) {
    try {
      const known = new Set(await admin.listTopics());
      const { topics } = names.every((name) => known.has(name))
        ? await admin.fetchTopicMetadata({ topics: names })
        : { topics: [] };
      const led =
        topics.length === names.length &&
        topics.every(
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
