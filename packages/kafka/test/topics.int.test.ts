import { Writable } from "node:stream";
import { infraEndpoints, uniqueName } from "@rapport/testing";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createKafka } from "../src/kafka-client.js";
import { ensureTopics } from "../src/topics.js";

const endpoints = infraEndpoints();
/** The error-level lines every client of this file logged, as a service's pino logger writes them. */
const errorLines: { msg?: string; error?: string }[] = [];
const errorSink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n")) if (line !== "") errorLines.push(JSON.parse(line));
    done();
  },
});
const kafkaOf = (clientId: string) =>
  createKafka({ brokers: endpoints.kafkaBrokers, clientId, logger: pino({ level: "error" }, errorSink) });

describe("ensureTopics", () => {
  it("creates the topics several services ensure at the same moment, whichever of them creates each, logging no error", async () => {
    for (let round = 0; round < 5; round++) {
      // As when npm start or docker compose starts ingestion and identity together on a fresh cluster:
      // each has its own client and its own list, and the lists overlap.
      const shared = [uniqueName("ensure-events"), uniqueName("ensure-dlq")];
      const ingestionTopics = [
        ...shared,
        ...Array.from({ length: 7 }, (_, n) => uniqueName(`ensure-raw-${n}`)),
      ];
      const identityTopics = [...shared, uniqueName("ensure-resolved"), uniqueName("ensure-identity")];
      await Promise.all(
        [ingestionTopics, identityTopics, ingestionTopics, identityTopics].map((names, n) =>
          ensureTopics(
            kafkaOf(`topics-it-${n}`),
            names.map((name) => ({ name, partitions: 3 })),
          ),
        ),
      );

      const admin = kafkaOf("topics-it-check").admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({
          topics: [...ingestionTopics, ...identityTopics],
        });
        expect(
          topics.map((topic) => topic.partitions.filter((partition) => partition.leader >= 0).length),
        ).toEqual(topics.map(() => 3));
      } finally {
        await admin.disconnect();
      }
    }
    // A service starting on a fresh cluster logs no error: asking for a topic's partitions before
    // the broker knows the topic is answered UNKNOWN_TOPIC_OR_PARTITION, which kafkajs logs as one.
    expect(errorLines).toEqual([]);
  });

  it("fails with the broker's answer when a topic cannot be created", async () => {
    const name = uniqueName("ensure-invalid");
    await expect(
      ensureTopics(kafkaOf("topics-it-invalid"), [
        { name, partitions: 1, config: { "cleanup.policy": "shred" } },
      ]),
    ).rejects.toThrow(new RegExp(`Kafka refused to create topics \\(${name}: .+\\)`));
  });
});
