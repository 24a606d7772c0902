import { createTopics, infraEndpoints, readTopic, uniqueName } from "@rapport/testing";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createKafka } from "../src/kafka-client.js";
import { connectRecordSender, type RecordSender } from "../src/record-sender.js";

const endpoints = infraEndpoints();
const kafka = createKafka({
  brokers: endpoints.kafkaBrokers,
  clientId: "record-sender-it",
  logger: pino({ level: "silent" }),
});
let sender: RecordSender | undefined;

afterEach(async () => {
  await sender?.disconnect();
  sender = undefined;
});

describe("record sender", () => {
  it("delivers every record of many concurrent sends through a fresh idempotent producer, each once", async () => {
    const topic = uniqueName("record-sender");
    await createTopics(endpoints.kafkaBrokers, [{ name: topic, partitions: 6 }]);
    const fresh = await connectRecordSender(kafka);
    sender = fresh;

    const callers = Array.from({ length: 40 }, (_, caller) =>
      Array.from({ length: 25 }, (_, n) => ({
        topic,
        key: `customer-${(caller * 7 + n) % 60}`,
        value: `${caller}/${n}`,
      })),
    );
    await Promise.all(callers.map((records) => fresh.send(records)));

    const expected = callers.flat().map((record) => record.value);
    const read = await readTopic(endpoints.kafkaBrokers, topic, {
      until: (records) => records.length >= expected.length,
    });
    expect(read.map((record) => record.value).sort()).toEqual([...expected].sort());
  });

  it("rejects the callers whose records Kafka refused and sends for later callers through a new producer", async () => {
    const topic = uniqueName("record-sender");
    await createTopics(endpoints.kafkaBrokers, [{ name: topic, partitions: 1 }]);
    const fresh = await connectRecordSender(kafka);
    sender = fresh;

    await expect(
      fresh.send([{ topic: uniqueName("no-such-topic"), key: null, value: "lost" }]),
    ).rejects.toThrow();
    await fresh.send([{ topic, key: null, value: "after the failure" }]);

    const read = await readTopic(endpoints.kafkaBrokers, topic, { until: (records) => records.length >= 1 });
    expect(read.map((record) => record.value)).toEqual(["after the failure"]);
  });
});
