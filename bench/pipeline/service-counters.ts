import { metricSamples, metricTotal } from "@rapport/telemetry";

/** What one service's /metrics says it has done so far. */
export type ServiceCounters = {
  /** rapport_kafka_records_consumed_total by topic: records handled and committed. */
  consumed: Record<string, number>;
  /** The sum of rapport_kafka_consumer_lag over the partitions it reports. */
  lag: number;
  /** rapport_store_commands_total by command: round trips to its MongoDB. */
  storeCommands: Record<string, number>;
  /** Ingestion's admission: events accepted, appended to crm.events, rejected, ignored web hits. */
  accepted: number;
  appended: number;
  rejected: number;
  ignored: number;
};

function byLabel(exposition: string, metric: string, label: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const { labels, value } of metricSamples(exposition, metric)) {
    const key = labels[label] ?? "";
    totals[key] = (totals[key] ?? 0) + value;
  }
  return totals;
}

export function serviceCountersOf(exposition: string): ServiceCounters {
  return {
    consumed: byLabel(exposition, "rapport_kafka_records_consumed_total", "topic"),
    lag: metricTotal(exposition, "rapport_kafka_consumer_lag"),
    storeCommands: byLabel(exposition, "rapport_store_commands_total", "command"),
    accepted: metricTotal(exposition, "rapport_ingestion_events_accepted_total"),
    appended: metricTotal(exposition, "rapport_ingestion_events_appended_total"),
    rejected: metricTotal(exposition, "rapport_ingestion_events_rejected_total"),
    ignored: metricTotal(exposition, "rapport_ingestion_weblog_lines_ignored_total"),
  };
}

export function sumOf(values: Readonly<Record<string, number>>): number {
  return Object.values(values).reduce((sum, value) => sum + value, 0);
}
