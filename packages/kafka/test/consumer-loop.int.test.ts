import { context, propagation, type SpanContext, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { createMetricsRegistry } from "@rapport/telemetry";
import {
  createTopics,
  infraEndpoints,
  metricSample,
  readTopic,
  type TopicRecord,
  uniqueName,
  waitFor,
} from "@rapport/testing";
import type { Message, Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type BatchHandler,
  type ConsumerLoop,
  type ConsumerLoopOptions,
  type RetryPolicy,
  startConsumerLoop,
} from "../src/consumer-loop.js";
import { deadLetterHeaders } from "../src/dead-letter.js";
import { createKafka } from "../src/kafka-client.js";
import { createKafkaMetrics } from "../src/kafka-metrics.js";
import { connectIdempotentProducer, connectTransactionalProducer } from "../src/producers.js";
import type { ConsumedMessage } from "../src/records.js";
import { traceHeaders } from "../src/trace-headers.js";

const endpoints = infraEndpoints();
const logger = pino({ level: "silent" });
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: "consumer-loop-it", logger });
const fastRetry: RetryPolicy = { attempts: 5, initialDelayMs: 10, maxDelayMs: 50 };
// One registry, as in a service: every test's loop reports on it under its own group and topics.
const registry = createMetricsRegistry("consumer-loop-it");
const metrics = createKafkaMetrics(registry);

// The process span of every consumed message ends up here (test 5 reads it).
const spanExporter = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });

let producer: Producer;
const runningLoops = new Set<ConsumerLoop>();
/** onFatal calls no test expected; checked after each test. */
let unexpectedFatalErrors: Error[] = [];

beforeAll(async () => {
  // Global tracer provider, W3C trace-context propagator and async context manager.
  tracerProvider.register();
  producer = await connectIdempotentProducer(kafka);
});

afterEach(async () => {
  await Promise.all([...runningLoops].map((loop) => loop.stop()));
  runningLoops.clear();
  const fatal = unexpectedFatalErrors;
  unexpectedFatalErrors = [];
  expect(fatal).toEqual([]);
});

afterAll(async () => {
  await producer?.disconnect();
  await tracerProvider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

/** The topics, consumer group and transactional id of one test: nothing is shared between tests. */
type Pipeline = {
  input: string;
  output: string;
  deadLetter: string;
  groupId: string;
  transactionalId: string;
};

async function pipeline(name: string, inputPartitions = 1): Promise<Pipeline> {
  const topics = {
    input: uniqueName(`${name}-in`),
    output: uniqueName(`${name}-out`),
    deadLetter: uniqueName(`${name}-dlq`),
  };
  await createTopics(
    endpoints.kafkaBrokers,
    Object.values(topics).map((topic) => ({
      name: topic,
      partitions: topic === topics.input ? inputPartitions : 1,
    })),
  );
  return { ...topics, groupId: uniqueName(`${name}-group`), transactionalId: uniqueName(`${name}-tx`) };
}

/**
 * Starts a consumer loop on the pipeline's input topic. The same pipeline started again is the same
 * service instance restarted: same consumer group, same transactional id.
 */
async function startLoop(
  on: Pipeline,
  handleBatch: BatchHandler,
  options: Partial<
    Pick<
      ConsumerLoopOptions,
      | "onFatal"
      | "retry"
      | "clock"
      | "maxRecordsPerTransaction"
      | "maxRecordsPerTransactionByTopic"
      | "maxBytesPerPartition"
      | "partitionsConsumedConcurrently"
      | "sessionTimeoutMs"
    >
  > = {},
): Promise<ConsumerLoop> {
  const loop = await startConsumerLoop({
    kafka,
    groupId: on.groupId,
    topics: [on.input],
    transactionalId: on.transactionalId,
    deadLetterTopic: on.deadLetter,
    handleBatch,
    logger,
    metrics,
    onFatal: (error) => unexpectedFatalErrors.push(error),
    retry: fastRetry,
    ...options,
  });
  runningLoops.add(loop);
  return {
    async stop() {
      runningLoops.delete(loop);
      await loop.stop();
    },
  };
}

const textOf = (message: ConsumedMessage): string => message.value?.toString("utf8") ?? "";

/** The handler of a typical consume-transform-produce service: one output per input, same key. */
function mapEachTo(outputTopic: string, handled: string[] = []): BatchHandler {
  return async (messages) => {
    handled.push(...messages.map(textOf));
    return {
      records: messages.map((message) => ({
        topic: outputTopic,
        key: message.key?.toString("utf8") ?? null,
        value: `out:${textOf(message)}`,
      })),
      poison: [],
    };
  };
}

async function publish(topic: string, messages: readonly (string | Message)[]): Promise<void> {
  await producer.send({
    topic,
    messages: messages.map((message) =>
      typeof message === "string" ? { key: `key-${message}`, value: message } : message,
    ),
  });
}

/** Reads a topic (read_committed) from the beginning until every expected value is there. */
function readUntilValues(topic: string, expected: readonly string[]): Promise<TopicRecord[]> {
  return readTopic(endpoints.kafkaBrokers, topic, {
    until: (records) => expected.every((value) => records.some((record) => record.value === value)),
    timeoutMs: 20_000,
  });
}

const valuesOf = (records: readonly TopicRecord[]) => records.map((record) => record.value);

/** An error and its chain of causes, so a test can find the root cause that was wrapped. */
function causesOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && !chain.includes(current); ) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

describe("the consumer loop against a real Kafka broker", () => {
  it("commits a batch's outputs and its offsets together: a restarted loop handles only what is new", async () => {
    const on = await pipeline("commit");
    const handledByFirst: string[] = [];
    const first = await startLoop(on, mapEachTo(on.output, handledByFirst));

    await publish(on.input, ["a", "b", "c", "d", "e"]);
    const outputs = await readUntilValues(on.output, ["out:e"]);
    expect(outputs.map(({ key, value }) => ({ key, value }))).toEqual([
      { key: "key-a", value: "out:a" },
      { key: "key-b", value: "out:b" },
      { key: "key-c", value: "out:c" },
      { key: "key-d", value: "out:d" },
      { key: "key-e", value: "out:e" },
    ]);
    await first.stop();

    const handledBySecond: string[] = [];
    await startLoop(on, mapEachTo(on.output, handledBySecond));
    await publish(on.input, ["f"]);

    const afterRestart = await readUntilValues(on.output, ["out:f"]);
    expect(valuesOf(afterRestart)).toEqual(["out:a", "out:b", "out:c", "out:d", "out:e", "out:f"]);
    expect(handledByFirst).toEqual(["a", "b", "c", "d", "e"]);
    expect(handledBySecond).toEqual(["f"]);
  });

  it("handles and commits a backlog in parts of at most maxRecordsPerTransaction records, in order", async () => {
    const on = await pipeline("parts");
    const values = Array.from({ length: 25 }, (_, n) => `m${String(n).padStart(2, "0")}`);
    await publish(on.input, values);
    const partSizes: number[] = [];
    const handled: string[] = [];
    const mapEach = mapEachTo(on.output, handled);
    await startLoop(
      on,
      async (messages) => {
        partSizes.push(messages.length);
        return mapEach(messages);
      },
      { maxRecordsPerTransaction: 4 },
    );

    const outputs = await readUntilValues(
      on.output,
      values.map((value) => `out:${value}`),
    );
    expect(valuesOf(outputs)).toEqual(values.map((value) => `out:${value}`));
    expect(handled).toEqual(values);
    expect(Math.max(...partSizes)).toBeLessThanOrEqual(4);
  });

  it("handles a topic named in maxRecordsPerTransactionByTopic in parts of its own size", async () => {
    const on = await pipeline("topic-parts");
    const values = Array.from({ length: 6 }, (_, n) => `t${n}`);
    await publish(on.input, values);
    const partSizes: number[] = [];
    const mapEach = mapEachTo(on.output);
    await startLoop(
      on,
      async (messages) => {
        partSizes.push(messages.length);
        return mapEach(messages);
      },
      {
        maxRecordsPerTransaction: 4,
        maxRecordsPerTransactionByTopic: { [on.input]: 1 },
        maxBytesPerPartition: 4_096,
      },
    );

    const outputs = await readUntilValues(
      on.output,
      values.map((value) => `out:${value}`),
    );
    expect(valuesOf(outputs)).toEqual(values.map((value) => `out:${value}`));
    expect(partSizes).toEqual(values.map(() => 1));
  });

  it("commits a part whose outputs are more than the broker takes in one request", async () => {
    const on = await pipeline("large-outputs");
    await publish(on.input, ["a", "b", "c"]);
    // 3 × 200 records of 4 KiB: 2.4 MiB for one partition of the output topic, over its 1 MiB limit.
    const filler = "x".repeat(4_096);
    const expected = ["a", "b", "c"].flatMap((input) =>
      Array.from({ length: 200 }, (_, n) => `${input}${n}:${filler}`),
    );
    await startLoop(on, async (messages) => ({
      records: messages.flatMap((message) =>
        Array.from({ length: 200 }, (_, n) => ({
          topic: on.output,
          key: null,
          value: `${textOf(message)}${n}:${filler}`,
        })),
      ),
      poison: [],
    }));

    const outputs = await readTopic(endpoints.kafkaBrokers, on.output, {
      until: (records) => records.length >= expected.length,
      timeoutMs: 30_000,
    });
    expect(valuesOf(outputs)).toEqual(expected);
  });

  it("handles partitions side by side when asked, each in order, committing every output once", async () => {
    const on = await pipeline("concurrent", 3);
    const values = (partition: number) => Array.from({ length: 8 }, (_, n) => `p${partition}-${n}`);
    for (const partition of [0, 1, 2]) {
      await producer.send({
        topic: on.input,
        messages: values(partition).map((value) => ({ key: value, value, partition })),
      });
    }
    const handled: string[] = [];
    const mapEach = mapEachTo(on.output, handled);
    let inFlight = 0;
    let mostInFlight = 0;
    await startLoop(
      on,
      async (messages) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 200));
        inFlight -= 1;
        return mapEach(messages);
      },
      { partitionsConsumedConcurrently: 3, maxRecordsPerTransaction: 2 },
    );

    const expected = [0, 1, 2].flatMap(values).map((value) => `out:${value}`);
    const outputs = await readUntilValues(on.output, expected);
    expect(valuesOf(outputs).sort()).toEqual([...expected].sort());
    expect(mostInFlight).toBeGreaterThan(1);
    for (const partition of [0, 1, 2]) {
      expect(handled.filter((value) => value.startsWith(`p${partition}-`))).toEqual(values(partition));
    }
  });

  it("keeps its partition while a part takes longer than the session timeout, handling each record once", async () => {
    const on = await pipeline("slow-part");
    await publish(on.input, ["s1", "s2"]);
    const handled: string[] = [];
    const mapEach = mapEachTo(on.output, handled);
    await startLoop(
      on,
      async (messages) => {
        // Half again the session timeout: without heartbeats meanwhile the group would drop the member.
        await new Promise((resolve) => setTimeout(resolve, 9_000));
        return mapEach(messages);
      },
      { sessionTimeoutMs: 6_000 },
    );

    const outputs = await readUntilValues(on.output, ["out:s1", "out:s2"]);
    expect(valuesOf(outputs)).toEqual(["out:s1", "out:s2"]);
    expect(handled).toEqual(["s1", "s2"]);
  }, 40_000);

  it("sends poison messages to the dead-letter topic as they were, with the reason, and goes on", async () => {
    const on = await pipeline("poison");
    const handled: string[] = [];
    const rejectedAt = new Date("2026-03-01T09:30:00.000Z");
    const jsonOrPoison: BatchHandler = async (messages) => {
      handled.push(...messages.map(textOf));
      const isJson = (message: ConsumedMessage) => textOf(message).startsWith("{");
      return {
        records: messages.filter(isJson).map((message) => ({
          topic: on.output,
          key: null,
          value: `out:${textOf(message)}`,
        })),
        poison: messages
          .filter((message) => !isJson(message))
          .map((message) => ({
            message,
            reason: "invalid_json",
            detail: `not JSON at offset ${message.offset}`,
          })),
      };
    };
    await startLoop(on, jsonOrPoison, { clock: () => rejectedAt });

    await publish(on.input, [
      { key: "k-1", value: '{"n":1}' },
      { key: "k-bad", value: "čaj, not JSON", headers: { "ce-source": "shop" } },
      { key: "k-3", value: '{"n":3}' },
    ]);

    const [deadLetter] = await readTopic(endpoints.kafkaBrokers, on.deadLetter, {
      until: (records) => records.length > 0,
      timeoutMs: 20_000,
    });
    expect(deadLetter).toMatchObject({
      key: "k-bad",
      value: "čaj, not JSON",
      headers: {
        "ce-source": "shop",
        [deadLetterHeaders.reason]: "invalid_json",
        [deadLetterHeaders.detail]: "not JSON at offset 1",
        [deadLetterHeaders.topic]: on.input,
        [deadLetterHeaders.partition]: "0",
        [deadLetterHeaders.offset]: "1",
        [deadLetterHeaders.consumerGroup]: on.groupId,
        [deadLetterHeaders.rejectedAt]: "2026-03-01T09:30:00.000Z",
      },
    });

    // The messages around the poison one, and the ones after it, are handled as usual.
    await publish(on.input, [{ key: "k-4", value: '{"n":4}' }]);
    const outputs = await readUntilValues(on.output, ['out:{"n":4}']);
    expect(valuesOf(outputs)).toEqual(['out:{"n":1}', 'out:{"n":3}', 'out:{"n":4}']);
    expect(handled).toEqual(['{"n":1}', "čaj, not JSON", '{"n":3}', '{"n":4}']);
  });

  it("retries a batch whose handler fails transiently, with backoff, and commits its outputs once", async () => {
    const on = await pipeline("transient");
    // Delays well above the ~30 ms a retry spends replacing its producer, so the backoff shows.
    const retry: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 };
    const callTimes: number[] = [];
    const succeed = mapEachTo(on.output);
    const failTwiceThenSucceed: BatchHandler = async (messages) => {
      callTimes.push(performance.now());
      if (callTimes.length <= 2) throw new Error(`projection store unavailable (call ${callTimes.length})`);
      return succeed(messages);
    };
    await startLoop(on, failTwiceThenSucceed, { retry });

    await publish(on.input, ["x", "y", "z"]);
    await readUntilValues(on.output, ["out:x", "out:y", "out:z"]);
    await publish(on.input, ["after"]);

    const outputs = await readUntilValues(on.output, ["out:after"]);
    expect(valuesOf(outputs)).toEqual(["out:x", "out:y", "out:z", "out:after"]);
    expect(callTimes).toHaveLength(4);
    const [first = 0, second = 0, third = 0] = callTimes;
    // Timers are millisecond-granular: allow one millisecond of rounding.
    expect(second - first).toBeGreaterThanOrEqual(retry.initialDelayMs - 1);
    expect(third - second).toBeGreaterThanOrEqual(2 * retry.initialDelayMs - 1);
  });

  it("withdraws a part whose check before the commit fails, and commits what it handles again", async () => {
    const on = await pipeline("withdrawn");
    const handled: string[] = [];
    const mapped = mapEachTo(on.output, handled);
    let checks = 0;
    await startLoop(on, async (messages) => ({
      ...(await mapped(messages)),
      beforeCommit: async () => {
        checks += 1;
        if (checks === 1) throw new Error("the store this part was handled on is being replaced");
      },
    }));

    await publish(on.input, ["a", "b"]);
    await readUntilValues(on.output, ["out:a", "out:b"]);
    await publish(on.input, ["after"]);

    const outputs = await readUntilValues(on.output, ["out:after"]);
    expect(valuesOf(outputs)).toEqual(["out:a", "out:b", "out:after"]);
    expect(handled).toEqual(["a", "b", "a", "b", "after"]);
  });

  it("stops loudly once a batch's retries are exhausted, committing nothing of that batch", async () => {
    const on = await pipeline("exhausted");
    const fatalErrors: Error[] = [];
    const storeDown = new Error("projection store unavailable");
    let failedCalls = 0;
    const failing = await startLoop(
      on,
      async () => {
        failedCalls++;
        throw storeDown;
      },
      {
        onFatal: (error) => fatalErrors.push(error),
        retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
      },
    );

    await publish(on.input, ["p"]);
    await waitFor(() => fatalErrors.length > 0, { description: "the loop to call onFatal" });
    expect(fatalErrors[0]?.message).toContain("projection store unavailable");
    expect(causesOf(fatalErrors[0])).toContain(storeDown);
    expect(failedCalls).toBe(3);
    await failing.stop();

    const handledAfterRestart: string[] = [];
    await startLoop(on, mapEachTo(on.output, handledAfterRestart));
    const outputs = await readUntilValues(on.output, ["out:p"]);
    expect(valuesOf(outputs)).toEqual(["out:p"]);
    expect(handledAfterRestart).toEqual(["p"]);
    expect(fatalErrors).toHaveLength(1);
    expect(failedCalls).toBe(3);
  });

  it("continues the trace of an input in the handler and in the records it produces", async () => {
    const on = await pipeline("trace");
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const upstreamSpanId = "00f067aa0ba902b7";
    const seen: (SpanContext | undefined)[] = [];
    await startLoop(on, async (messages) => {
      seen.push(...messages.map((message) => trace.getSpanContext(message.traceContext)));
      return {
        records: messages.map((message) => ({
          topic: on.output,
          key: null,
          value: `out:${textOf(message)}`,
          headers: traceHeaders(message.traceContext),
        })),
        poison: [],
      };
    });

    await publish(on.input, [
      { key: "k", value: "traced", headers: { traceparent: `00-${traceId}-${upstreamSpanId}-01` } },
    ]);

    const [output] = await readUntilValues(on.output, ["out:traced"]);
    const processSpan = seen[0];
    expect(seen).toHaveLength(1);
    expect(processSpan?.traceId).toBe(traceId);
    expect(processSpan?.spanId).not.toBe(upstreamSpanId); // a child span of the upstream one
    expect(output?.headers.traceparent).toBe(`00-${traceId}-${processSpan?.spanId}-01`);

    const exported = await waitFor(
      () => spanExporter.getFinishedSpans().find((span) => span.spanContext().spanId === processSpan?.spanId),
      { description: "the process span to end" },
    );
    expect(exported.name).toBe(`${on.input} process`);
    expect(exported.parentSpanContext?.spanId).toBe(upstreamSpanId);
    expect(exported.attributes["rapport.batch.outcome"]).toBe("committed");
  });

  it("shows on /metrics what it consumed, its lag falling to 0 once caught up, and each dead letter", async () => {
    const on = await pipeline("metrics");
    const lagOf = async () =>
      metricSample(await registry.metrics(), "rapport_kafka_consumer_lag", {
        group: on.groupId,
        topic: on.input,
        partition: "0",
      });
    const lagSeenByPart: (number | undefined)[] = [];
    await startLoop(
      on,
      async (messages) => {
        lagSeenByPart.push(await lagOf());
        return {
          records: [],
          poison: messages
            .filter((message) => !textOf(message).startsWith("{"))
            .map((message) => ({
              message,
              reason: "invalid_json",
              detail: `"${textOf(message)}" is not JSON`,
            })),
        };
      },
      { maxRecordsPerTransaction: 2 },
    );
    // Written in one transaction, as the services write their outputs: a commit marker follows.
    const upstream = await connectTransactionalProducer(kafka, uniqueName("metrics-upstream"));
    try {
      const transaction = await upstream.transaction();
      await transaction.send({
        topic: on.input,
        messages: ['{"n":1}', '{"n":2}', "not json", '{"n":4}'].map((value) => ({ value })),
      });
      await transaction.commit();
    } finally {
      await upstream.disconnect();
    }

    const consumed = async () =>
      metricSample(await registry.metrics(), "rapport_kafka_records_consumed_total", {
        group: on.groupId,
        topic: on.input,
      });
    await waitFor(async () => (await consumed()) === 4 && (await lagOf()) === 0, {
      description: "4 records consumed and a lag of 0",
      timeoutMs: 30_000,
    });
    const exposition = await registry.metrics();
    expect(
      metricSample(exposition, "rapport_dead_letters_total", { topic: on.input, reason: "invalid_json" }),
    ).toBe(1);
    expect(
      metricSample(exposition, "rapport_kafka_batch_duration_seconds_count", {
        group: on.groupId,
        topic: on.input,
      }),
    ).toBe(lagSeenByPart.length);
    // Between the first part of two records and the second, the other two were still to do.
    expect(lagSeenByPart.length).toBeGreaterThanOrEqual(2);
    expect(lagSeenByPart[1]).toBeGreaterThanOrEqual(2);
  });

  it("finishes the batch in flight when stopped, and a restarted loop does not redo it", async () => {
    const on = await pipeline("stop");
    let releaseBatch = () => {};
    const batchReleased = new Promise<void>((resolve) => {
      releaseBatch = resolve;
    });
    const handledBeforeStop: string[] = [];
    const mapToOutput = mapEachTo(on.output, handledBeforeStop);
    const loop = await startLoop(on, async (messages) => {
      const outcome = await mapToOutput(messages);
      await batchReleased;
      return outcome;
    });

    await publish(on.input, ["s1", "s2"]);
    await waitFor(() => handledBeforeStop.length > 0, { description: "a batch to be in flight" });
    const stopped = loop.stop();
    releaseBatch();
    await stopped;

    const outputs = await readUntilValues(on.output, ["out:s1", "out:s2"]);
    expect(valuesOf(outputs)).toEqual(["out:s1", "out:s2"]);

    const handledAfterRestart: string[] = [];
    await startLoop(on, mapEachTo(on.output, handledAfterRestart));
    await publish(on.input, ["s3"]);
    const afterRestart = await readUntilValues(on.output, ["out:s3"]);
    expect(valuesOf(afterRestart)).toEqual(["out:s1", "out:s2", "out:s3"]);
    expect(handledBeforeStop).toEqual(["s1", "s2"]);
    expect(handledAfterRestart).toEqual(["s3"]);
  });
});
