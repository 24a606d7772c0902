import { Writable } from "node:stream";
import { createMetricsRegistry } from "@rapport/telemetry";
import { createTopics, infraEndpoints, readTopic, uniqueName, waitFor } from "@rapport/testing";
import type { Kafka } from "kafkajs";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type BatchHandler, type ConsumerLoop, startConsumerLoop } from "../src/consumer-loop.js";
import { createKafka } from "../src/kafka-client.js";
import { createKafkaMetrics } from "../src/kafka-metrics.js";
import { concurrentTransactionsMessage } from "../src/kafkajs-log-creator.js";
import { connectIdempotentProducer, connectTransactionalProducer } from "../src/producers.js";
import type { ConsumedMessage } from "../src/records.js";
import { commitTransaction } from "../src/transactional-commit.js";

// A consumer loop committing part after part is what scoring and offer do on a fresh start and
// during a bulk load. Each transaction after the first begins while the coordinator may still be
// writing the previous one's commit markers; the broker then answers the new transaction's first
// request with CONCURRENT_TRANSACTIONS. These tests drive the loop that way and read every line
// kafkajs and the loop log, as a service's pino logger would write them.

const endpoints = infraEndpoints();
const metrics = createKafkaMetrics(createMetricsRegistry("transaction-logs-it"));
const loops = new Set<ConsumerLoop>();
let fatalErrors: Error[] = [];

afterEach(async () => {
  await Promise.all([...loops].map((loop) => loop.stop()));
  loops.clear();
  const fatal = fatalErrors;
  fatalErrors = [];
  expect(fatal).toEqual([]);
});

type LogLine = { level: number; component?: string; msg?: string; [field: string]: unknown };

/** A kafkajs client logging through pino as a service's does, and every line written so far. */
function loggedKafka(): { kafka: Kafka; lines: LogLine[]; logger: pino.Logger } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  return {
    kafka: createKafka({ brokers: endpoints.kafkaBrokers, clientId: "txn-logs-it", logger }),
    lines,
    logger,
  };
}

const pinoError = 50;
const pinoWarn = 40;
const kafkajsErrors = (lines: readonly LogLine[]) =>
  lines.filter((line) => line.component === "kafkajs" && line.level >= pinoError);
const loopWarnings = (lines: readonly LogLine[]) =>
  lines.filter((line) => line.component === "consumer-loop" && line.level >= pinoWarn);

type Pipeline = {
  input: string;
  output: string;
  deadLetter: string;
  groupId: string;
  transactionalId: string;
};

async function pipeline(name: string, inputPartitions: number): Promise<Pipeline> {
  const on = {
    input: uniqueName(`${name}-in`),
    output: uniqueName(`${name}-out`),
    deadLetter: uniqueName(`${name}-dlq`),
    groupId: uniqueName(`${name}-group`),
    transactionalId: uniqueName(`${name}-tx`),
  };
  await createTopics(endpoints.kafkaBrokers, [
    { name: on.input, partitions: inputPartitions },
    { name: on.output, partitions: 3 },
    { name: on.deadLetter, partitions: 1 },
  ]);
  return on;
}

/** `count` records on each of the input's partitions, `<prefix><partition>-<n>`, as upstream writes them. */
async function publishBacklog(
  kafka: Kafka,
  topic: string,
  partitions: number,
  count: number,
  prefix = "p",
): Promise<string[]> {
  const producer = await connectIdempotentProducer(kafka);
  const values: string[] = [];
  try {
    for (let partition = 0; partition < partitions; partition++) {
      const batch = Array.from({ length: count }, (_, n) => `${prefix}${partition}-${n}`);
      values.push(...batch);
      await producer.send({ topic, messages: batch.map((value) => ({ key: value, value, partition })) });
    }
  } finally {
    await producer.disconnect();
  }
  return values;
}

/** A loop as scoring and offer start theirs (parts of a few records, partitions side by side). */
async function startLoop(kafka: Kafka, logger: pino.Logger, on: Pipeline, handleBatch: BatchHandler) {
  const loop = await startConsumerLoop({
    kafka,
    groupId: on.groupId,
    topics: [on.input],
    transactionalId: on.transactionalId,
    deadLetterTopic: on.deadLetter,
    handleBatch,
    logger,
    metrics,
    onFatal: (error) => fatalErrors.push(error),
    maxRecordsPerTransaction: 4,
    partitionsConsumedConcurrently: 3,
  });
  loops.add(loop);
  return {
    async stop() {
      loops.delete(loop);
      await loop.stop();
    },
  };
}

const textOf = (message: ConsumedMessage) => message.value?.toString("utf8") ?? "";

/** A live build's handler: one output per input. */
function mapEachTo(output: string, handled: string[]): BatchHandler {
  return async (messages) => {
    handled.push(...messages.map(textOf));
    return {
      records: messages.map((message) => ({ topic: output, key: null, value: `out:${textOf(message)}` })),
      poison: [],
    };
  };
}

/** A replay's handler (and any part that changes nothing): no output, only the offsets to commit. */
function foldOnly(handled: string[]): BatchHandler {
  return async (messages) => {
    handled.push(...messages.map(textOf));
    return { records: [], poison: [] };
  };
}

async function readOutputs(on: Pipeline, expected: readonly string[]) {
  const records = await readTopic(endpoints.kafkaBrokers, on.output, {
    until: (read) => read.length >= expected.length,
    timeoutMs: 30_000,
  });
  return records.map((record) => record.value);
}

/** Waits until the group's committed offsets cover `count` records on each partition. */
async function waitForCommitted(kafka: Kafka, on: Pipeline, count: number) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const [topic] = await admin.fetchOffsets({ groupId: on.groupId, topics: [on.input] });
        return topic?.partitions.every((partition) => partition.offset === String(count));
      },
      { description: `offsets committed up to ${count} on every partition`, timeoutMs: 30_000 },
    );
  } finally {
    await admin.disconnect();
  }
}

describe("the consumer loop's transactions, as kafkajs logs them", () => {
  it("log no error during a bulk load: parts commit one after another, several partitions at once", async () => {
    const { kafka, lines, logger } = loggedKafka();
    const on = await pipeline("bulk-load", 3);
    const values = await publishBacklog(kafka, on.input, 3, 40);
    const handled: string[] = [];
    await startLoop(kafka, logger, on, mapEachTo(on.output, handled));

    const outputs = await readOutputs(
      on,
      values.map((value) => `out:${value}`),
    );
    expect([...outputs].sort()).toEqual(values.map((value) => `out:${value}`).sort());
    expect(handled).toHaveLength(values.length);
    expect(kafkajsErrors(lines)).toEqual([]);
    expect(loopWarnings(lines)).toEqual([]);
  });

  it("commits parts that produce nothing (a replay) once each, with no error and no retried part", async () => {
    const { kafka, lines, logger } = loggedKafka();
    const on = await pipeline("replay", 3);
    const values = await publishBacklog(kafka, on.input, 3, 40);
    const handled: string[] = [];
    await startLoop(kafka, logger, on, foldOnly(handled));

    await waitForCommitted(kafka, on, 40);
    // A part whose commit failed would have been handled again.
    expect([...handled].sort()).toEqual([...values].sort());
    expect(kafkajsErrors(lines)).toEqual([]);
    expect(loopWarnings(lines)).toEqual([]);
  });

  it("log no error on a fresh start, after a crashed predecessor's open transaction and on a quick restart", async () => {
    const { kafka, lines, logger } = loggedKafka();
    const on = await pipeline("fresh-start", 3);
    const values = await publishBacklog(kafka, on.input, 3, 12);
    // The instance that ran before crashed in the middle of a transaction: its output is pending.
    const predecessor = await connectTransactionalProducer(kafka, on.transactionalId);
    const open = await predecessor.transaction();
    await open.send({ topic: on.output, messages: [{ value: "never committed" }] });
    await predecessor.disconnect();

    const first = await startLoop(kafka, logger, on, mapEachTo(on.output, []));
    await readOutputs(
      on,
      values.map((value) => `out:${value}`),
    );
    // Restarted at once: its first transaction follows the last commit of the instance before it.
    await first.stop();
    await startLoop(kafka, logger, on, mapEachTo(on.output, []));
    const after = await publishBacklog(kafka, on.input, 3, 4, "after-");
    const expected = [...values, ...after].map((value) => `out:${value}`);
    const outputs = await readOutputs(on, expected);

    expect([...outputs].sort()).toEqual(expected.sort());
    expect(kafkajsErrors(lines)).toEqual([]);
    expect(loopWarnings(lines)).toEqual([]);
  });

  it("still logs a genuine error answer to the same requests at error level: a fenced producer's", async () => {
    const { kafka, lines } = loggedKafka();
    const on = await pipeline("fenced", 1);
    const commit = (nextOffset: string) => ({
      records: [{ topic: on.output, key: null, value: `at ${nextOffset}` }],
      consumerGroupId: on.groupId,
      topic: on.input,
      partition: 0,
      nextOffset,
    });
    const fenced = await connectTransactionalProducer(kafka, on.transactionalId);
    const successor = await connectTransactionalProducer(kafka, on.transactionalId);
    try {
      await commitTransaction(fenced, commit("1"));
      // Another instance with the same transactional id starts: the first one is fenced.
      await commitTransaction(successor, commit("2"));
      await expect(commitTransaction(fenced, commit("3"))).rejects.toThrow();
    } finally {
      await Promise.all([fenced.disconnect(), successor.disconnect()]);
    }

    const errors = kafkajsErrors(lines);
    expect(errors).not.toEqual([]);
    expect(errors[0]).toMatchObject({
      namespace: "Connection",
      msg: "Response AddOffsetsToTxn(key: 25, version: 1)",
    });
    expect(errors[0]?.error).not.toBe(concurrentTransactionsMessage);
  });
});
