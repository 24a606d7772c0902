import { credentials } from "@grpc/grpc-js";
import { IdentityServiceClient, type IdentityStats } from "@rapport/proto";
import { metricSamples } from "@rapport/telemetry";
import { freePort, startServiceProcess } from "@rapport/testing";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import type { RunNames } from "../shared/run-names.js";

/** What identity's /metrics says it has done so far. */
export type IdentityCounters = {
  /** Events resolved and appended to crm.events.resolved. */
  resolved: number;
  /** … of which a merge of customers happened. */
  merged: number;
  /** Identity events emitted on crm.identity, by type (IdentifierLinked, CustomersMerged, ...). */
  identityEvents: Record<string, number>;
};

export type IdentityProcess = {
  pid: number;
  /** host:port of its gRPC server (IdentityService). */
  grpcAddress: string;
  counters(): Promise<IdentityCounters>;
  /** GetIdentityStats: customers, merges and anonymous customers in the run's graph. */
  stats(): Promise<IdentityStats>;
  output(): string;
  stop(): Promise<void>;
};

export type IdentityProcessOptions = {
  endpoints: BenchEndpoints;
  names: RunNames;
  /** 1, 2, …: instances of one run share the consumer group and database, each has its own id. */
  instance: number;
  /** IDENTITY_STORE_BUCKETS: collections each kind of identity document is spread over. */
  storeBuckets: number;
  /** KAFKA_CONSUMER_CONCURRENCY: partitions of crm.events one instance resolves at once. */
  consumerConcurrency: number;
};

/**
 * Identity as its own Node.js process with production defaults (but the store's bucket count and the
 * partitions resolved at once, which are the benchmark's to choose), on the run's topics and database.
 */
export async function startIdentityProcess(options: IdentityProcessOptions): Promise<IdentityProcess> {
  const { endpoints, names } = options;
  const grpcPort = await freePort();
  const service = await startServiceProcess({
    service: "identity",
    env: {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
      MONGODB_URI: endpoints.mongodbUri,
      KAFKA_TOPIC_PREFIX: names.prefix,
      KAFKA_TOPIC_PARTITIONS: "6",
      KAFKA_CREATE_TOPICS: "true",
      IDENTITY_DATABASE: names.database,
      IDENTITY_STORE_BUCKETS: String(options.storeBuckets),
      KAFKA_CONSUMER_CONCURRENCY: String(options.consumerConcurrency),
      IDENTITY_CONSUMER_GROUP: names.consumerGroup,
      INSTANCE_ID: `${names.database}-${options.instance}`,
      GRPC_PORT: String(grpcPort),
    },
  });
  return {
    pid: service.pid,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    async counters() {
      const exposition = await service.metrics();
      const resolved = metricSamples(exposition, "rapport_identity_events_resolved_total");
      const identityEvents: Record<string, number> = {};
      for (const { labels, value } of metricSamples(exposition, "rapport_identity_identity_events_total")) {
        const type = labels.type ?? "unknown";
        identityEvents[type] = (identityEvents[type] ?? 0) + value;
      }
      return {
        resolved: resolved.reduce((sum, sample) => sum + sample.value, 0),
        merged: resolved
          .filter((sample) => sample.labels.merged === "true")
          .reduce((sum, sample) => sum + sample.value, 0),
        identityEvents,
      };
    },
    stats: () => identityStats(`127.0.0.1:${grpcPort}`),
    output: service.output,
    stop: service.stop,
  };
}

async function identityStats(address: string): Promise<IdentityStats> {
  const client = new IdentityServiceClient(address, credentials.createInsecure());
  try {
    return await new Promise<IdentityStats>((resolve, reject) =>
      client.getIdentityStats({}, (error, response) => {
        if (error) reject(error);
        else if (response.stats === undefined) reject(new Error("GetIdentityStats answered without stats"));
        else resolve(response.stats);
      }),
    );
  } finally {
    client.close();
  }
}

/** The counters of several instances added up. */
export function addedCounters(counters: readonly IdentityCounters[]): IdentityCounters {
  const identityEvents: Record<string, number> = {};
  for (const { identityEvents: byType } of counters) {
    for (const [type, count] of Object.entries(byType))
      identityEvents[type] = (identityEvents[type] ?? 0) + count;
  }
  return {
    resolved: counters.reduce((sum, { resolved }) => sum + resolved, 0),
    merged: counters.reduce((sum, { merged }) => sum + merged, 0),
    identityEvents,
  };
}
