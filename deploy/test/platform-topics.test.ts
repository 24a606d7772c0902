import { describe, expect, it } from "vitest";
import { mergeTopicSpecs, platformTopics } from "../src/platform-topics.js";

const settings = { KAFKA_TOPIC_PREFIX: "", KAFKA_TOPIC_PARTITIONS: 6 };

describe("platformTopics", () => {
  it("names every topic the four services read or write, once each", () => {
    const names = platformTopics(settings).map((topic) => topic.name);
    expect(names).toHaveLength(new Set(names).size);
    expect([...names].sort()).toEqual(
      [
        "crm.raw.orders",
        "crm.raw.calls",
        "crm.raw.weblogs",
        "crm.raw.surveys",
        "crm.raw.customers",
        "crm.raw.consents",
        "crm.raw.offer-responses",
        "crm.events",
        "crm.events.dlq",
        "crm.events.resolved",
        "crm.identity",
        "crm.identity.decisions",
        "crm.scoring",
        "crm.offers",
        "crm.customer.changes",
      ].sort(),
    );
  });

  it("keeps the log and everything folded from it forever", () => {
    const topics = new Map(platformTopics(settings).map((topic) => [topic.name, topic]));
    for (const name of [
      "crm.events",
      "crm.events.dlq",
      "crm.events.resolved",
      "crm.identity",
      "crm.identity.decisions",
      "crm.scoring",
      "crm.offers",
      "crm.customer.changes",
      "crm.raw.consents",
    ]) {
      expect(topics.get(name)?.config, name).toEqual({ "retention.ms": "-1" });
    }
    expect(topics.get("crm.raw.orders")?.config).toEqual({});
  });

  it("gives every topic the configured partitions except crm.scoring, whose facts apply in order", () => {
    const topics = platformTopics({ KAFKA_TOPIC_PREFIX: "", KAFKA_TOPIC_PARTITIONS: 12 });
    for (const topic of topics) {
      expect(topic.partitions, topic.name).toBe(topic.name === "crm.scoring" ? 1 : 12);
    }
  });

  it("puts the prefix before every name", () => {
    const names = platformTopics({ KAFKA_TOPIC_PREFIX: "staging.", KAFKA_TOPIC_PARTITIONS: 6 }).map(
      (topic) => topic.name,
    );
    expect(names.every((name) => name.startsWith("staging.crm."))).toBe(true);
  });
});

describe("mergeTopicSpecs", () => {
  it("joins what two services ask of one topic", () => {
    expect(
      mergeTopicSpecs([
        { name: "a", partitions: 3 },
        { name: "b", partitions: 1 },
        { name: "a", partitions: 3, config: { "retention.ms": "-1" } },
      ]),
    ).toEqual([
      { name: "a", partitions: 3, config: { "retention.ms": "-1" } },
      { name: "b", partitions: 1, config: {} },
    ]);
  });

  it("refuses a topic declared with two partition counts", () => {
    expect(() =>
      mergeTopicSpecs([
        { name: "crm.scoring", partitions: 1 },
        { name: "crm.scoring", partitions: 6 },
      ]),
    ).toThrow("Topic crm.scoring is declared with 1 and with 6 partitions; the services must agree");
  });

  it("refuses a topic declared with two values of one setting", () => {
    expect(() =>
      mergeTopicSpecs([
        { name: "crm.events", partitions: 6, config: { "retention.ms": "-1" } },
        { name: "crm.events", partitions: 6, config: { "retention.ms": "604800000" } },
      ]),
    ).toThrow("Topic crm.events is declared with retention.ms=-1 and with retention.ms=604800000");
  });
});
