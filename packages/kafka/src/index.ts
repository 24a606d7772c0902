export {
  type BatchHandler,
  type BatchOutcome,
  type ConsumerLoop,
  type ConsumerLoopOptions,
  type RetryPolicy,
  startConsumerLoop,
} from "./consumer-loop.js";
export { deadLetterHeaders, deadLetterRecord, poisonRecord, type Rejection } from "./dead-letter.js";
export { createKafka, type KafkaClientOptions } from "./kafka-client.js";
export { createKafkaMetrics, type KafkaMetrics } from "./kafka-metrics.js";
export { connectIdempotentProducer, connectTransactionalProducer } from "./producers.js";
export { connectRecordSender, type RecordSender } from "./record-sender.js";
export { type ConsumedMessage, type OutgoingRecord, type PoisonMessage, topicMessagesOf } from "./records.js";
export { deadLetterPositionText, redrivenFromHeader, redrivenRecord } from "./redrive.js";
export { type LoggedRecord, type OffsetRange, type ReadProgress, readOffsetRanges } from "./topic-reader.js";
export { ensureTopics, type TopicSpec } from "./topics.js";
export { decodeHeaders, extractTraceContext, traceHeaders } from "./trace-headers.js";
