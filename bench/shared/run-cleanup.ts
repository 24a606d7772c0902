import { Kafka, logLevel } from "kafkajs";
import { MongoClient } from "mongodb";
import type { BenchEndpoints } from "./bench-infra.js";

/**
 * Deletes a run's topics (by their prefix) and drops its databases and any rebuilt versions of them
 * (`<database>_v<n>`), so that repeated runs against a long-lived broker (npm run infra:up) do not
 * pile up partitions.
 */
export async function removeRunData(
  endpoints: BenchEndpoints,
  run: { prefix: string; databases: readonly string[] },
): Promise<void> {
  const admin = new Kafka({
    clientId: "rapport-bench-cleanup",
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(run.prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
  const mongo = new MongoClient(endpoints.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const { databases } = await mongo.db("admin").admin().listDatabases({ nameOnly: true });
    for (const { name } of databases) {
      if (run.databases.some((database) => name === database || name.startsWith(`${database}_v`)))
        await mongo.db(name).dropDatabase();
    }
  } finally {
    await mongo.close();
  }
}
