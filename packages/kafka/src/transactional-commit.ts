import type { Producer } from "kafkajs";
import { type OutgoingRecord, topicMessagesOf } from "./records.js";

/**
 * At most this many bytes of records go in one produce request. The broker refuses a record batch
 * above its `message.max.bytes` (1 MiB by default) and kafkajs puts all of one call's records for a
 * partition in one batch, so a part with many outputs is sent in several calls of the same transaction.
 */
const bytesPerSend = 512 * 1024;

/** What one transaction commits: a consumed part's output records and the offset to resume after it. */
export type TransactionalCommit = {
  records: readonly OutgoingRecord[];
  consumerGroupId: string;
  topic: string;
  partition: number;
  /** The offset of the next record to consume. */
  nextOffset: string;
};

/** How long to wait for the coordinator to finish the previous transaction before giving up. */
export type CoordinatorBackoff = { attempts: number; initialDelayMs: number; maxDelayMs: number };

/** A few milliseconds usually do; the total (about 2.5 s) covers a busy broker. */
const defaultBackoff: CoordinatorBackoff = { attempts: 10, initialDelayMs: 10, maxDelayMs: 500 };

/**
 * Commits records and consumer offsets in one transaction of a transactional producer, or aborts it
 * and throws.
 *
 * The broker answers EndTxn as soon as its decision is in the transaction log, and only then writes
 * the commit markers to each partition of the transaction. Until it is done, it answers the first
 * request of this transactional id's next transaction with CONCURRENT_TRANSACTIONS ("The producer
 * attempted to update a transaction while another concurrent operation on the same transaction was
 * ongoing"), however strictly the producer's calls follow one another: a consumer loop committing
 * part after part meets it at almost every commit. Java's producer retries it after 20 ms. kafkajs
 * 2.2.4 retries it in `sendBatch` (AddPartitionsToTxn) after its full retry delay (300 ms by
 * default, and two error-level log lines), and not at all in `sendOffsets` (AddOffsetsToTxn): a part
 * that produced nothing would fail and be handled again.
 *
 * So the offsets go first: their AddOffsetsToTxn is the transaction's first request to the
 * coordinator, and this function waits for the previous transaction to complete by retrying exactly
 * that answer with a short backoff. Once it is accepted the transaction is under way, and
 * AddPartitionsToTxn (in `sendBatch`) no longer meets it. The order changes nothing else: the
 * records and the offsets become visible together at the commit, or not at all.
 */
export async function commitTransaction(
  producer: Producer,
  commit: TransactionalCommit,
  backoff: CoordinatorBackoff = defaultBackoff,
): Promise<void> {
  const transaction = await producer.transaction();
  try {
    await retryWhileCoordinatorBusy(backoff, () =>
      transaction.sendOffsets({
        consumerGroupId: commit.consumerGroupId,
        topics: [
          { topic: commit.topic, partitions: [{ partition: commit.partition, offset: commit.nextOffset }] },
        ],
      }),
    );
    for (const records of inSendableChunks(commit.records))
      await transaction.sendBatch({ topicMessages: topicMessagesOf(records) });
    await transaction.commit();
  } catch (error) {
    await transaction.abort().catch(() => undefined);
    throw error;
  }
}

/** The records in order, cut into runs of at most `bytesPerSend` (a larger record on its own). */
export function inSendableChunks(
  records: readonly OutgoingRecord[],
  maxBytes = bytesPerSend,
): OutgoingRecord[][] {
  const chunks: OutgoingRecord[][] = [];
  let chunk: OutgoingRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = sizeOf(record);
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function sizeOf(record: OutgoingRecord): number {
  const text = (value: string | Buffer | null) =>
    value === null ? 0 : typeof value === "string" ? Buffer.byteLength(value) : value.length;
  let headers = 0;
  for (const [name, value] of Object.entries(record.headers ?? {})) headers += name.length + text(value);
  // A record's own framing in a batch (lengths, offsets, timestamp) is a few dozen bytes.
  return text(record.key) + text(record.value) + headers + 64;
}

/**
 * The coordinator is still completing this transactional id's previous transaction (error code 51).
 * Recognised by kafkajs' error type: its error classes are not named exports that Node's ES module
 * loader can see (kafkajs spreads them into module.exports).
 */
export function isConcurrentTransactions(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === "KafkaJSProtocolError" &&
    (error as Error & { type?: unknown }).type === "CONCURRENT_TRANSACTIONS"
  );
}

async function retryWhileCoordinatorBusy(backoff: CoordinatorBackoff, request: () => Promise<void>) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      // Anything else, or a coordinator busy for longer than the backoff allows, fails the part.
      if (!isConcurrentTransactions(error) || attempt >= backoff.attempts) throw error;
      const delayMs = Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
