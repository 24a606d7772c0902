import { freePort, type ServiceProcess, startServiceProcess, uniqueName } from "@rapport/testing";
import type { BenchEndpoints } from "../shared/bench-infra.js";

export const pipelineServices = ["ingestion", "identity", "scoring", "offer"] as const;
export type PipelineService = (typeof pipelineServices)[number];

/** A measurement's own names: a topic prefix, and a database and consumer group for each service. */
export type PipelineNames = {
  prefix: string;
  databases: Record<PipelineService, string>;
  consumerGroups: Record<PipelineService, string>;
  instance: string;
};

export function freshPipelineNames(kind: string): PipelineNames {
  const name = uniqueName(`bench-pipeline-${kind}`);
  const each = (suffix: string) =>
    Object.fromEntries(pipelineServices.map((service) => [service, `${name}-${service}${suffix}`])) as Record<
      PipelineService,
      string
    >;
  return { prefix: `${name}.`, databases: each(""), consumerGroups: each(""), instance: `${name}-1` };
}

/** The gRPC ports of the services that others call: identity (scoring asks it) and scoring (offer asks it). */
export type PipelinePorts = {
  ingestionGrpc: number;
  identityGrpc: number;
  scoringGrpc: number;
  offerGrpc: number;
};

/** Signs the run's unsubscribe tokens; any 16 characters do for a throwaway database. */
const unsubscribeSecret = "bench-pipeline-unsubscribe-secret";
export const benchWriteKey = "bench-pipeline-key";

/**
 * A service's settings in a measurement: production defaults but for the measurement's topics,
 * database, consumer group and ports, as `npm start` (scripts/start.ts) runs them. Ingestion reads the
 * visitor cookie after the user agent of access-log lines, as `npm start` sets it for the demo's lines.
 */
export function pipelineEnvironment(
  service: PipelineService,
  endpoints: BenchEndpoints,
  names: PipelineNames,
  ports: PipelinePorts,
): Record<string, string> {
  const common = {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
    MONGODB_URI: endpoints.mongodbUri,
    KAFKA_TOPIC_PREFIX: names.prefix,
    KAFKA_TOPIC_PARTITIONS: "6",
    KAFKA_CREATE_TOPICS: "true",
    INSTANCE_ID: names.instance,
  };
  switch (service) {
    case "ingestion":
      return {
        ...common,
        INGESTION_DATABASE: names.databases.ingestion,
        INGESTION_CONSUMER_GROUP: names.consumerGroups.ingestion,
        INGESTION_WRITE_KEYS: `bench=${benchWriteKey}`,
        WEBLOG_VISITOR_COOKIE_FIELD: "1",
        GRPC_PORT: String(ports.ingestionGrpc),
      };
    case "identity":
      return {
        ...common,
        IDENTITY_DATABASE: names.databases.identity,
        IDENTITY_CONSUMER_GROUP: names.consumerGroups.identity,
        GRPC_PORT: String(ports.identityGrpc),
      };
    case "scoring":
      return {
        ...common,
        SCORING_DATABASE: names.databases.scoring,
        SCORING_CONSUMER_GROUP: names.consumerGroups.scoring,
        IDENTITY_GRPC_ADDRESS: `127.0.0.1:${ports.identityGrpc}`,
        GRPC_PORT: String(ports.scoringGrpc),
      };
    case "offer":
      return {
        ...common,
        OFFER_DATABASE: names.databases.offer,
        OFFER_CONSUMER_GROUP: names.consumerGroups.offer,
        OFFER_UNSUBSCRIBE_SECRET: unsubscribeSecret,
        SCORING_GRPC_ADDRESS: `127.0.0.1:${ports.scoringGrpc}`,
        GRPC_PORT: String(ports.offerGrpc),
      };
    default: {
      const unhandled: never = service;
      return unhandled;
    }
  }
}

/** A service that answered /readyz: its process, when, and its /metrics at that moment. */
export type ReadyService = { process: ServiceProcess; readyAtMs: number; metricsAtReady: string };

export type RunningPipeline = {
  services: Record<PipelineService, ReadyService>;
  scoringAddress: string;
  stop(): Promise<void>;
};

export type StartingPipeline = {
  /** The services ready so far: the others have done nothing yet that their counters would show. */
  readyServices(): Partial<Record<PipelineService, ReadyService>>;
  /** Resolves once all four are ready; if one fails to start, the others are stopped and it rejects. */
  allReady: Promise<RunningPipeline>;
  /** The end of every ready service's output, for an error message. */
  outputs(): string;
  /** Stops the services started so far (and any still starting, once they are up). */
  stop(): Promise<void>;
};

/**
 * Spawns the four services, each as its own Node.js process, all at once (as `npm start` would if none
 * waited for another: the gRPC clients connect when first used), and returns at once: the benchmark
 * watches them while they start.
 */
export async function startPipeline(
  endpoints: BenchEndpoints,
  names: PipelineNames,
): Promise<StartingPipeline> {
  const ports: PipelinePorts = {
    ingestionGrpc: await freePort(),
    identityGrpc: await freePort(),
    scoringGrpc: await freePort(),
    offerGrpc: await freePort(),
  };
  const ready: Partial<Record<PipelineService, ReadyService>> = {};
  const starts = pipelineServices.map(async (service) => {
    const process = await startServiceProcess({
      service,
      env: pipelineEnvironment(service, endpoints, names, ports),
    });
    const readyAtMs = performance.now();
    ready[service] = { process, readyAtMs, metricsAtReady: await process.metrics() };
  });
  const stopReady = async () => {
    await Promise.all(Object.values(ready).map((service) => service.process.stop()));
  };
  const allReady = Promise.allSettled(starts).then(async (results) => {
    const failures = results.flatMap((result, k) =>
      result.status === "rejected" ? [`${pipelineServices[k]}: ${(result.reason as Error).message}`] : [],
    );
    if (failures.length > 0) {
      await stopReady();
      throw new Error(`the services did not all start:\n${failures.join("\n")}`);
    }
    return {
      services: ready as Record<PipelineService, ReadyService>,
      scoringAddress: `127.0.0.1:${ports.scoringGrpc}`,
      stop: stopReady,
    };
  });
  // A failure is reported by whoever awaits allReady.
  allReady.catch(() => undefined);
  return {
    readyServices: () => ({ ...ready }),
    allReady,
    outputs: () =>
      Object.entries(ready)
        .map(([service, { process }]) => `--- ${service} ---\n${process.output().slice(-3_000)}`)
        .join("\n"),
    stop: async () => {
      await Promise.allSettled(starts);
      await stopReady();
    },
  };
}
