import { infraEndpoints, uniqueName } from "@rapport/testing";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createKafka } from "../src/kafka-client.js";
import { ensureTopics } from "../src/topics.js";

const endpoints = infraEndpoints();
const kafka = createKafka({
  brokers: endpoints.kafkaBrokers,
  clientId: "topics-it",
  logger: pino({ level: "silent" }),
});

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
            createKafka({
              brokers: endpoints.kafkaBrokers,
              clientId: `topics-it-${n}`,
              logger: pino({ level: "silent" }),
            }),
            names.map((name) => ({ name, partitions: 3 })),
          ),
        ),
      );
    }
  });
});
