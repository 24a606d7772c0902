import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Logger } from "@rapport/telemetry";
import type { Batch, Kafka, KafkaMessage, Producer } from "kafkajs";
import { poisonRecord } from "./dead-letter.js";
import { type KafkaMetrics, lagAfter } from "./kafka-metrics.js";
import { connectTransactionalProducer } from "./producers.js";
import type { ConsumedMessage, OutgoingRecord, PoisonMessage } from "./records.js";
import { decodeHeaders, extractTraceContext } from "./trace-headers.js";
import { commitTransaction } from "./transactional-commit.js";

/** What a batch handler wants produced: its output records, and the messages that are poison. */
export type BatchOutcome = {
  records: OutgoingRecord[];
  poison: PoisonMessage[];
  /**
   * What must still hold when the part is committed, checked in the producer's turn right before its
   * records are sent (parts of several partitions wait their turn). Throwing withdraws the part: it
   * is retried as when the handler throws.
   */
  beforeCommit?: () => Promise<void>;
};

/**
 * Handles one batch of one partition. Its own side effects (MongoDB writes) must be idempotent: after a
 * crash, a rebalance or a transient failure the same batch is handled again. Throwing means "transient
 * failure": the batch is retried with backoff, and after the last attempt the loop stops loudly.
 */
export type BatchHandler = (messages: readonly ConsumedMessage[]) => Promise<BatchOutcome>;

export type RetryPolicy = { attempts: number; initialDelayMs: number; maxDelayMs: number };

export type ConsumerLoopOptions = {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  /** Stable per instance: a restarted instance fences its predecessor's open transaction. */
  transactionalId: string;
  deadLetterTopic: string;
  handleBatch: BatchHandler;
  logger: Logger;
  /** Where the loop counts what it consumed and dead-lettered, and its lag: the service's own metrics. */
  metrics: KafkaMetrics;
  /** Called once when the loop cannot go on (retries exhausted, consumer crashed); the process should exit. */
  onFatal: (error: Error) => void;
  retry?: RetryPolicy;
  /** A new consumer group starts at the beginning of the log unless told otherwise. */
  fromBeginning?: boolean;
  /**
   * A fetched batch is handled and committed in parts of at most this many records: each
   * transaction stays short, and a stop or a rebalance waits for one part only. Default 500.
   */
  maxRecordsPerTransaction?: number;
  /**
   * Parts of these topics hold at most this many records instead (e.g. 1 for a topic whose every
   * record is a long unit of work that must commit on its own).
   */
  maxRecordsPerTransactionByTopic?: Readonly<Record<string, number>>;
  /**
   * How many bytes one fetch may bring of each partition (kafkajs' `maxBytesPerPartition`, default
   * 1 MiB): raise it with `maxRecordsPerTransaction` so that a backlog arrives in full parts.
   */
  maxBytesPerPartition?: number;
  /**
   * How many partitions this instance handles at once (default 1). Each partition's records stay
   * in order; handlers of different partitions run side by side, so their effects must tolerate a
   * concurrent writer as they tolerate another instance. The commits take turns: one producer has
   * one transaction open at a time.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * How long the group waits for a heartbeat before it gives this instance's partitions to others
   * (default 30 s). Heartbeats go on while a part is handled, however long it takes.
   */
  sessionTimeoutMs?: number;
  clock?: () => Date;
};

export type ConsumerLoop = {
  /** Finishes the batch in flight, leaves the group and disconnects. */
  stop(): Promise<void>;
};

const defaultRetry: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

const tracer = trace.getTracer("@rapport/kafka");

/**
 * The consumer loop every service runs. Each batch's output records, its dead-letter records and its
 * offsets are committed in one Kafka transaction, after the handler's own effects are durable: a crash
 * at any point leads to the batch being handled again, never to a lost or doubled output.
 */
export async function startConsumerLoop(options: ConsumerLoopOptions): Promise<ConsumerLoop> {
  const retry = options.retry ?? defaultRetry;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger.child({ component: "consumer-loop", groupId: options.groupId });
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  const heartbeatInterval = Math.floor(sessionTimeout / 10);
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    readUncommitted: false,
    sessionTimeout,
    heartbeatInterval,
    // An idle fetch waits at most this long, and stop() waits for the fetch in flight: keep shutdown quick.
    maxWaitTimeInMs: 1_000,
    ...(options.maxBytesPerPartition === undefined
      ? {}
      : { maxBytesPerPartition: options.maxBytesPerPartition }),
    retry: { restartOnFailure: async () => false },
  });
  let producer: Producer = await connectTransactionalProducer(options.kafka, options.transactionalId);
  let stopping = false;

  consumer.on(consumer.events.CRASH, (event) => {
    if (stopping || event.payload.restart) return;
    options.onFatal(event.payload.error);
  });

  const replaceProducer = async () => {
    // After an uncertain failure the producer's sequence and transaction state cannot be trusted.
    await producer.disconnect().catch(() => undefined);
    producer = await connectTransactionalProducer(options.kafka, options.transactionalId);
  };

  const { metrics, groupId } = options;
  /** The partitions this loop has reported a lag for, as `topic:partition`. */
  const lagReported = new Map<string, { topic: string; partition: string }>();
  const reportLag = (topic: string, partition: number, highWatermark: string, lastOffset: string) => {
    const labels = { group: groupId, topic, partition: String(partition) };
    lagReported.set(`${topic}:${partition}`, { topic, partition: labels.partition });
    metrics.consumerLag.set(labels, lagAfter(highWatermark, lastOffset));
  };
  const forgetLag = (stillAssigned: (topic: string, partition: number) => boolean) => {
    for (const [key, { topic, partition }] of lagReported) {
      if (stillAssigned(topic, Number(partition))) continue;
      metrics.consumerLag.remove({ group: groupId, topic, partition });
      lagReported.delete(key);
    }
  };
  // A partition that went to another instance in a rebalance is that instance's to report.
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
    forgetLag((topic, partition) => payload.memberAssignment[topic]?.includes(partition) ?? false),
  );
  // kafkajs handles a fetch of nothing but commit markers or aborted records itself, without
  // calling eachBatch: it is caught up to the end of that fetch all the same.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.batchSize === 0)
      reportLag(payload.topic, payload.partition, payload.highWatermark, payload.lastOffset);
  });

  /** Runs the producer's work one call at a time: its transactions, and replacing it. */
  let producerTurn: Promise<unknown> = Promise.resolve();
  const withProducer = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = producerTurn.then(work);
    producerTurn = turn.catch(() => undefined);
    return turn;
  };

  const commitBatch = async (batch: Batch, lastOffset: string, outcome: BatchOutcome) => {
    const rejectedAt = clock();
    const records = [
      ...outcome.records,
      ...outcome.poison.map(({ message, reason, detail }) =>
        poisonRecord(options.deadLetterTopic, message, reason, detail, options.groupId, rejectedAt),
      ),
    ];
    await outcome.beforeCommit?.();
    await commitTransaction(producer, {
      records,
      consumerGroupId: options.groupId,
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: nextOffset(lastOffset),
    });
    return records;
  };

  const defaultPartSize = options.maxRecordsPerTransaction ?? 500;
  const partSizeOf = (topic: string) => options.maxRecordsPerTransactionByTopic?.[topic] ?? defaultPartSize;

  /**
   * Handles and commits one part of a batch, retrying it with backoff; throws when retries run out.
   * `handledUpTo` is the offset the partition is handled up to once the part is committed: the
   * part's last record, or for a batch's last part the batch's last offset (which may be a commit
   * marker after it).
   */
  const handlePart = async (
    batch: Batch,
    part: KafkaMessage[],
    handledUpTo: string,
    kafkaBatch: {
      resolveOffset: (offset: string) => void;
      heartbeat: () => Promise<void>;
      isStale: () => boolean;
    },
  ) => {
    const { resolveOffset, heartbeat, isStale } = kafkaBatch;
    const lastOffset = part.at(-1)?.offset;
    if (lastOffset === undefined) return;
    const spans = part.map((message) => startProcessSpan(batch, message));
    const messages = part.map((message, i) => consumedMessage(batch, message, spans[i] as Span));
    let outcome: "committed" | "abandoned" = "abandoned";
    const labels = { group: groupId, topic: batch.topic };
    const endTimer = metrics.batchDuration.startTimer(labels);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          // A heartbeat that fails here (a rebalance under way) is met again by the one after.
          const keepAlive = setInterval(() => heartbeat().catch(() => undefined), heartbeatInterval);
          const handled = await options.handleBatch(messages).finally(() => clearInterval(keepAlive));
          await heartbeat();
          // A seek moved this partition mid-batch, so its offsets are not ours to commit. A stop is
          // different: stop() waits for this part, whose effects are done, so it commits.
          if (isStale()) break;
          const written = await withProducer(() => commitBatch(batch, lastOffset, handled));
          resolveOffset(lastOffset);
          outcome = "committed";
          endTimer();
          metrics.recordsConsumed.inc(labels, part.length);
          metrics.countDeadLetters(written, options.deadLetterTopic);
          reportLag(batch.topic, batch.partition, batch.highWatermark, handledUpTo);
          for (const { message, reason } of handled.poison) {
            // In the poison message's trace, so that its log line carries the trace id.
            context.with(message.traceContext, () =>
              logger.warn(
                { topic: message.topic, partition: message.partition, offset: message.offset, reason },
                "poison message sent to the dead-letter topic",
              ),
            );
          }
          break;
        } catch (error) {
          if (stopping) throw error;
          if (attempt >= retry.attempts) throw new RetriesExhaustedError(attempt, error);
          const delayMs = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempt - 1));
          logger.warn(
            { err: error, topic: batch.topic, partition: batch.partition, attempt, delayMs },
            "batch failed, retrying",
          );
          await sleep(delayMs);
          await heartbeat();
          await withProducer(replaceProducer);
        }
      }
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      for (const span of spans) {
        span.setAttribute("rapport.batch.outcome", outcome);
        span.end();
      }
    }
  };

  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const partSize = partSizeOf(batch.topic);
      for (let start = 0; start < batch.messages.length; start += partSize) {
        if (!isRunning() || isStale()) return;
        const part = batch.messages.slice(start, start + partSize);
        const isLastPart = start + partSize >= batch.messages.length;
        const handledUpTo = isLastPart ? batch.lastOffset() : (part.at(-1)?.offset ?? batch.lastOffset());
        await handlePart(batch, part, handledUpTo, { resolveOffset, heartbeat, isStale });
      }
    },
  });

  return {
    async stop() {
      stopping = true;
      await consumer.disconnect();
      await producer.disconnect();
      forgetLag(() => false);
    },
  };
}

function startProcessSpan(batch: Batch, message: KafkaMessage): Span {
  const parent = extractTraceContext(decodeHeaders(message.headers));
  return tracer.startSpan(
    `${batch.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.system": "kafka",
        "messaging.destination.name": batch.topic,
        "messaging.destination.partition.id": String(batch.partition),
        "messaging.kafka.offset": Number(message.offset),
      },
    },
    parent,
  );
}

function consumedMessage(batch: Batch, message: KafkaMessage, span: Span): ConsumedMessage {
  const headers = decodeHeaders(message.headers);
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers,
    timestamp: message.timestamp,
    traceContext: trace.setSpan(extractTraceContext(headers), span),
  };
}

/**
 * A batch failed its last attempt. Not retriable: kafkajs would otherwise run the whole retry policy
 * again up to its own `retries` times before crashing, instead of stopping the loop now.
 */
class RetriesExhaustedError extends Error {
  readonly retriable = false;

  constructor(attempts: number, cause: unknown) {
    super(`batch failed ${attempts} times: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "RetriesExhaustedError";
  }
}

function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
