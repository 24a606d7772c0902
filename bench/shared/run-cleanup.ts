import { Kafka, logLevel } from "kafkajs";
import { MongoClient } from "mongodb";
import type { BenchEndpoints } from "./bench-infra.js";
import type { RunNames } from "./run-names.js";

/**
 * Deletes a run's topics and drops its database, so that repeated runs against a long-lived broker
 * (npm run infra:up) do not pile up partitions.
 */
export async function removeRunData(endpoints: BenchEndpoints, names: RunNames): Promise<void> {
  const admin = new Kafka({
    clientId: "rapport-bench-cleanup",
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(names.prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
  const mongo = new MongoClient(endpoints.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await mongo.db(names.database).dropDatabase();
  } finally {
    await mongo.close();
  }
}
