import { Counter, type Registry } from "@rapport/telemetry";

export type IngestionPath = "kafka" | "http" | "grpc";

/** What an operator watches on ingestion: what came in, what was appended, what was turned away. */
export function createIngestionMetrics(registry: Registry) {
  return {
    accepted: new Counter({
      name: "rapport_ingestion_events_accepted_total",
      help: "Events that passed validation, by input path and event type",
      labelNames: ["path", "type"] as const,
      registers: [registry],
    }),
    appended: new Counter({
      name: "rapport_ingestion_events_appended_total",
      help: "Events appended to crm.events, by event type",
      labelNames: ["type"] as const,
      registers: [registry],
    }),
    duplicates: new Counter({
      name: "rapport_ingestion_events_duplicate_total",
      help: "Events not appended again because an event with the same id was appended before",
      registers: [registry],
    }),
    rejected: new Counter({
      name: "rapport_ingestion_events_rejected_total",
      help: "Inputs sent to the dead-letter topic, by input path and reason",
      labelNames: ["path", "reason"] as const,
      registers: [registry],
    }),
    ignored: new Counter({
      name: "rapport_ingestion_weblog_lines_ignored_total",
      help: "Access-log lines that are not page views (static assets, bots, malformed requests), by reason",
      labelNames: ["path", "reason"] as const,
      registers: [registry],
    }),
  };
}

export type IngestionMetrics = ReturnType<typeof createIngestionMetrics>;
