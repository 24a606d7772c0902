import { Counter, Gauge, Histogram, type Registry } from "@rapport/telemetry";
import { deadLetterHeaders } from "./dead-letter.js";
import type { OutgoingRecord } from "./records.js";

/**
 * The Kafka metrics of a service, registered once on its registry and shared by its consumer
 * loops (scoring runs two while it switches projection versions) and its front doors.
 */
export function createKafkaMetrics(registry: Registry) {
  const deadLetters = new Counter({
    name: "rapport_dead_letters_total",
    help: "Records written to the dead-letter topic, by the topic (or front door: http, grpc) they came from and reason code",
    labelNames: ["topic", "reason"] as const,
    registers: [registry],
  });
  return {
    recordsConsumed: new Counter({
      name: "rapport_kafka_records_consumed_total",
      help: "Records handled and committed, by consumer group and topic (rate() is events per second)",
      labelNames: ["group", "topic"] as const,
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: "rapport_kafka_consumer_lag",
      help: "Records behind the end of the partition, as this instance saw it at its last fetch, by consumer group, topic and partition it is assigned",
      labelNames: ["group", "topic", "partition"] as const,
      registers: [registry],
    }),
    batchDuration: new Histogram({
      name: "rapport_kafka_batch_duration_seconds",
      help: "Time to handle one part of a fetched batch and commit its outputs and offsets in one transaction, retries included, by consumer group and topic",
      labelNames: ["group", "topic"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    /** Counts the records among `records` that go to the dead-letter topic; call once they are written. */
    countDeadLetters(records: readonly OutgoingRecord[], deadLetterTopic: string): void {
      for (const labels of deadLetterLabels(records, deadLetterTopic)) deadLetters.inc(labels);
    },
  };
}

export type KafkaMetrics = ReturnType<typeof createKafkaMetrics>;

/**
 * The labels of each dead-letter record among `records`: where it came from and its reason code.
 * A reason is a short snake_case code (`invalid_json`); anything else counts as `other`, so that a
 * label never holds free text and the number of series stays bounded.
 */
export function deadLetterLabels(
  records: readonly OutgoingRecord[],
  deadLetterTopic: string,
): { topic: string; reason: string }[] {
  return records
    .filter((record) => record.topic === deadLetterTopic)
    .map((record) => ({
      topic: record.headers?.[deadLetterHeaders.topic] ?? "unknown",
      reason: reasonCode(record.headers?.[deadLetterHeaders.reason]),
    }));
}

function reasonCode(reason: string | undefined): string {
  return reason !== undefined && /^[a-z][a-z0-9_]{0,63}$/.test(reason) ? reason : "other";
}

/**
 * Records behind the end of a partition once everything up to `lastOffset` is handled. The high
 * watermark is the offset the next record will get; a commit marker or aborted record at the end
 * counts as handled when `lastOffset` is the batch's last offset, so a caught-up consumer shows 0.
 */
export function lagAfter(highWatermark: string, lastOffset: string): number {
  return Math.max(0, Number(BigInt(highWatermark) - BigInt(lastOffset) - 1n));
}
