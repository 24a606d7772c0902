import { infraEndpoints, uniqueName } from "@rapport/testing";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createKafka } from "../src/kafka-client.js";
import { ensureTopics } from "../src/topics.js";

const endpoints = infraEndpoints();
const kafkaOf = (clientId: string) =>
  createKafka({ brokers: endpoints.kafkaBrokers, clientId, logger: pino({ level: "silent" }) });

describe("ensureTopics", () => {
  it("creates the topics several services ensure at the same moment, whichever of them creates each", async () => {
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
  });
});
