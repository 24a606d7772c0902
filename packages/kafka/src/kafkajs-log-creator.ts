import type { Logger } from "@rapport/telemetry";
import { type LogEntry, logLevel } from "kafkajs";

/** kafkajs 2.2.4's text for the broker's CONCURRENT_TRANSACTIONS answer (error code 51). */
export const concurrentTransactionsMessage =
  "The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing";

/**
 * The transaction-coordinator requests whose CONCURRENT_TRANSACTIONS answer is waited out and the
 * request sent again: AddOffsetsToTxn by `commitTransaction` (the first request of each of the
 * consumer loop's transactions), AddPartitionsToTxn by kafkajs' `send`/`sendBatch` retry, and
 * InitProducerId by kafkajs while the coordinator aborts a predecessor's open transaction. EndTxn is
 * not among them: nobody retries it, so that answer stays an error.
 */
const retriedRequest = /^Response (AddOffsetsToTxn|AddPartitionsToTxn|InitProducerId)\(/;

/**
 * Whether a kafkajs line reports the broker's CONCURRENT_TRANSACTIONS answer to a request that is
 * retried. kafkajs logs every error answer at error level as it arrives (its Connection logs
 * "Response <request>" with the answer's text, and its producer adds "Failed to send messages: …"
 * before retrying), before anyone can tell whether it is retried. The broker gives this answer to
 * the first request of a transaction begun while it still writes the previous commit's markers
 * (see `commitTransaction`), which a consumer loop committing part after part does all the time,
 * and there is no request in kafkajs that would tell when the markers are written. If the
 * coordinator stays busy past the retries, the request fails and the consumer loop says so.
 */
export function isRetriedConcurrentTransactions(entry: LogEntry): boolean {
  const { namespace, log } = entry;
  if (namespace === "Connection") {
    return log.error === concurrentTransactionsMessage && retriedRequest.test(log.message);
  }
  if (namespace === "Producer")
    return log.message === `Failed to send messages: ${concurrentTransactionsMessage}`;
  return false;
}

/**
 * Whether a kafkajs line reports the broker's error answer to CreateTopics. Services starting
 * together on a fresh cluster create the same topics at the same moment, and all but one are
 * answered TOPIC_ALREADY_EXISTS, which kafkajs' admin takes as success; any other answer is thrown
 * to the caller (`ensureTopics`), which fails the start with it, so the line itself says nothing new.
 */
export function isCreateTopicsAnswer(entry: LogEntry): boolean {
  return entry.namespace === "Connection" && entry.log.message.startsWith("Response CreateTopics(");
}

/**
 * kafkajs 2.2.4's texts for the broker's answers that its metadata is newer than the client's
 * (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, NOT_LEADER_FOR_PARTITION): on a fresh cluster
 * right after the topics are created, and whenever a leader moves.
 */
const staleMetadataMessages = new Set([
  "This server does not host this topic-partition",
  "There is no leader for this topic-partition as we are in the middle of a leadership election",
  "This server is not the leader for that topic-partition",
]);

/**
 * Whether a kafkajs line reports a request answered that the client's metadata is stale. kafkajs
 * refreshes its metadata and sends the request again; when that keeps failing, the error reaches
 * the producer, consumer or admin call, which logs or throws it, so the answer itself is no error.
 */
export function isStaleMetadataAnswer(entry: LogEntry): boolean {
  return entry.namespace === "Connection" && staleMetadataMessages.has(String(entry.log.error));
}

/**
 * kafkajs' log lines, through the service's structured logger. The broker's CONCURRENT_TRANSACTIONS
 * answer to a retried request, its answers that the client's metadata is stale and its error answers
 * to CreateTopics are expected and go to debug level; every other error stays an error.
 */
export function kafkajsLogCreator(logger: Logger) {
  return () => (entry: LogEntry) => {
    const { message, ...fields } = entry.log;
    const withNamespace = { namespace: entry.namespace, ...fields };
    if (
      entry.level === logLevel.ERROR &&
      !isRetriedConcurrentTransactions(entry) &&
      !isStaleMetadataAnswer(entry) &&
      !isCreateTopicsAnswer(entry)
    )
      logger.error(withNamespace, message);
    else if (entry.level === logLevel.WARN) logger.warn(withNamespace, message);
    else logger.debug(withNamespace, message);
  };
}
