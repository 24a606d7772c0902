import { createTopics, infraEndpoints, readTopic, uniqueName } from "@rapport/testing";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { MongoClient } from "mongodb";
import { describe, expect, it } from "vitest";

const { kafkaBrokers, mongodbUri } = infraEndpoints();

describe("the local Kafka broker", () => {
  it("commits a transactional, idempotent write that a read_committed reader sees, and hides an aborted one", async () => {
    const topic = uniqueName("infra-transactions");
    await createTopics(kafkaBrokers, [{ name: topic, partitions: 3 }]);
    const kafka = new Kafka({ clientId: "infra-test", brokers: kafkaBrokers, logLevel: logLevel.WARN });
    // The producer settings every Rapport service uses (DESIGN §7).
    const transactionalProducer = () =>
      kafka.producer({
        transactionalId: uniqueName("infra-test-producer"),
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
    // Two producers: one transactional id that begins again right after an abort gets
    // CONCURRENT_TRANSACTIONS until the abort markers are written (kafkajs retries, noisily).
    const abandoning = transactionalProducer();
    const committing = transactionalProducer();
    await Promise.all([abandoning.connect(), committing.connect()]);
    try {
      const abandoned = await abandoning.transaction();
      await abandoned.send({ topic, messages: [{ key: "customer-1", value: "aborted order" }] });
      await abandoned.abort();

      const transaction = await committing.transaction();
      await transaction.send({
        topic,
        messages: [{ key: "customer-1", value: "committed order", headers: { "ce-type": "OrderPlaced" } }],
      });
      await transaction.commit();
    } finally {
      await Promise.all([abandoning.disconnect(), committing.disconnect()]);
    }

    // Same key, same partition: the aborted record sits before the committed one.
    const records = await readTopic(kafkaBrokers, topic, {
      until: (seen) => seen.some((record) => record.value === "committed order"),
      timeoutMs: 30_000,
    });

    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      key: "customer-1",
      value: "committed order",
      headers: { "ce-type": "OrderPlaced" },
    });
  });

  it("reports what it saw when a topic never shows the expected record", async () => {
    const topic = uniqueName("infra-timeout");
    await createTopics(kafkaBrokers, [{ name: topic, partitions: 1 }]);

    await expect(readTopic(kafkaBrokers, topic, { until: () => false, timeoutMs: 3000 })).rejects.toThrow(
      /condition not met within 3000 ms; read 0 record/,
    );
  });
});

describe("the local MongoDB-wire server (FerretDB)", () => {
  it("stores and finds a document, and reports a unique index violation as E11000", async () => {
    const client = new MongoClient(mongodbUri);
    const db = client.db(uniqueName("infra-test"));
    try {
      const customers = db.collection<{ _id: string; email: string }>("customers");
      await customers.createIndex({ email: 1 }, { unique: true });
      await customers.insertOne({ _id: "customer-1", email: "ada@example.com" });

      expect(await customers.findOne({ _id: "customer-1" })).toEqual({
        _id: "customer-1",
        email: "ada@example.com",
      });
      await expect(
        customers.insertOne({ _id: "customer-2", email: "ada@example.com" }),
      ).rejects.toMatchObject({
        code: 11000,
        message: expect.stringContaining("E11000"),
      });
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });
});
