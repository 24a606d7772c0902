import kafkajs, { type Producer } from "kafkajs";

// kafkajs is CommonJS and spreads its error classes into module.exports, which Node's ES module loader
// cannot list as named exports: a named import of KafkaJSProtocolError fails when a service starts
// (node --import tsx, or the compiled dist); the default export holds it.
const { KafkaJSProtocolError } = kafkajs;
import { type OutgoingRecord, topicMessagesOf } from "./records.js";

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
    if (commit.records.length > 0)
      await transaction.sendBatch({ topicMessages: topicMessagesOf(commit.records) });
    await transaction.commit();
  } catch (error) {
    await transaction.abort().catch(() => undefined);
    throw error;
  }
}

/** The coordinator is still completing this transactional id's previous transaction (error code 51). */
export function isConcurrentTransactions(error: unknown): boolean {
  return error instanceof KafkaJSProtocolError && error.type === "CONCURRENT_TRANSACTIONS";
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
