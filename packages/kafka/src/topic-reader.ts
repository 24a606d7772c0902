import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import type { ConsumedMessage } from "./records.js";
import { decodeHeaders } from "./trace-headers.js";

/** Offsets `from` (inclusive) to `to` (exclusive) of one partition. */
export type OffsetRange = { partition: number; from: bigint; to: bigint };

/** A record as read back from a topic: where it sits, its bytes, headers and broker timestamp. */
export type LoggedRecord = Omit<ConsumedMessage, "topic" | "traceContext">;

export type ReadProgress = { read: bigint; total: bigint };

/**
 * Reads the given offset ranges of `topic` and hands each record to `onRecord` once, in offset
 * order per partition, then resolves. It consumes as a throwaway group that commits nothing, and
 * reads committed records only (read_committed), so the transaction markers in a topic written in
 * transactions are stepped over rather than waited for.
 */
export async function readOffsetRanges(
  kafka: Kafka,
  topic: string,
  ranges: readonly OffsetRange[],
  onRecord: (record: LoggedRecord) => void,
  onProgress?: (progress: ReadProgress) => void,
): Promise<void> {
  const open = new Map(
    ranges.filter((range) => range.from < range.to).map((range) => [range.partition, range]),
  );
  if (open.size === 0) return;
  const total = [...open.values()].reduce((sum, range) => sum + (range.to - range.from), 0n);
  /** The next offset to hand over, per partition: a re-fetch after a seek does not repeat records. */
  const next = new Map([...open.values()].map((range) => [range.partition, range.from]));
  let read = 0n;

  const consumer = kafka.consumer({
    groupId: `rapport-reader-${randomUUID()}`,
    readUncommitted: false,
    // Short fetch waits make the last partitions' ends and disconnect quick.
    maxWaitTimeInMs: 250,
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  try {
    await new Promise<void>((resolve, reject) => {
      // A batch's last offset counts transaction markers and aborted records, which are never handed over.
      const reached = (partition: number, lastOffset: string | null) => {
        const range = open.get(partition);
        if (range === undefined || lastOffset === null) return;
        const upTo = BigInt(lastOffset) + 1n;
        const before = next.get(partition) ?? range.from;
        if (upTo > before) {
          read += (upTo < range.to ? upTo : range.to) - before;
          next.set(partition, upTo);
        }
        onProgress?.({ read, total });
        if (upTo >= range.to) {
          open.delete(partition);
          if (open.size === 0) resolve();
        }
      };
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
        reached(payload.partition, payload.lastOffset),
      );
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch, pause }) => {
            const range = open.get(batch.partition);
            if (range === undefined) {
              // Not asked for, or read to its end already: stop fetching it.
              pause();
              return;
            }
            for (const message of batch.messages) {
              const offset = BigInt(message.offset);
              if (offset < (next.get(batch.partition) ?? range.from) || offset >= range.to) continue;
              onRecord({
                partition: batch.partition,
                offset: message.offset,
                key: message.key,
                value: message.value,
                headers: decodeHeaders(message.headers),
                timestamp: message.timestamp,
              });
            }
          },
        })
        .then(() => {
          for (const range of open.values())
            if (range.from > 0n)
              consumer.seek({ topic, partition: range.partition, offset: String(range.from) });
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
