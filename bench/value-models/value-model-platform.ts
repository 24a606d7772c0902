import { freePort, type ServiceProcess, startServiceProcess, uniqueName } from "@rapport/testing";
import {
  benchWriteKey,
  type PipelineNames,
  type PipelineService,
  pipelineEnvironment,
} from "../pipeline/pipeline-services.js";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import type { Log } from "../shared/progress.js";
import { removeRunData } from "../shared/run-cleanup.js";

/**
 * The services an import reaches scoring through: ingestion (the CLI's front door), identity (a
 * customer id for each household) and scoring. The offer service is left out: nothing it does
 * enters a value model, and on two cores it would only take CPU from the fold.
 */
export const valueModelServices = ["ingestion", "identity", "scoring"] as const;
type ValueModelService = (typeof valueModelServices)[number];

export type ValueModelPlatform = {
  processes: Record<ValueModelService, ServiceProcess>;
  /** ingestion's HTTP API, for `rapport import --url`. */
  ingestionUrl: string;
  writeKey: string;
  /** scoring's gRPC address, for `rapport model --scoring`. */
  scoringAddress: string;
  /** The full name of the topic scoring folds orders from. */
  resolvedTopic: string;
  /** Stops the services and deletes the run's topics and databases. */
  stop(): Promise<void>;
};

/**
 * Starts the three services as their own processes, as the pipeline benchmark does (production
 * defaults but for the run's topics, databases, consumer groups and ports), with scoring summing in
 * USD and running no schedule: no clock tick or model fit of its own comes between the import and
 * the fits the benchmark asks for.
 */
export async function startValueModelPlatform(
  endpoints: BenchEndpoints,
  log: Log,
): Promise<ValueModelPlatform> {
  const names = runNames();
  const ports = {
    ingestionGrpc: await freePort(),
    identityGrpc: await freePort(),
    scoringGrpc: await freePort(),
    offerGrpc: await freePort(),
  };
  const own: Partial<Record<ValueModelService, Record<string, string>>> = {
    scoring: { SCORING_CURRENCY: "USD", SCORING_SCHEDULER: "false" },
  };
  const started: Partial<Record<ValueModelService, ServiceProcess>> = {};
  const stop = async () => {
    await Promise.all(Object.values(started).map((process) => process.stop()));
    await removeRunData(endpoints, { prefix: names.prefix, databases: Object.values(names.databases) });
  };
  try {
    await Promise.all(
      valueModelServices.map(async (service) => {
        started[service] = await startServiceProcess({
          service,
          env: { ...pipelineEnvironment(service, endpoints, names, ports), ...own[service] },
        });
        log(`  ${service} ready`);
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const processes = started as Record<ValueModelService, ServiceProcess>;
  return {
    processes,
    ingestionUrl: processes.ingestion.httpUrl,
    writeKey: benchWriteKey,
    scoringAddress: `127.0.0.1:${ports.scoringGrpc}`,
    resolvedTopic: `${names.prefix}crm.events.resolved`,
    stop,
  };
}

function runNames(): PipelineNames {
  const name = uniqueName("bench-value-models");
  const each = (service: PipelineService) => `${name}-${service}`;
  const byService = {
    ingestion: each("ingestion"),
    identity: each("identity"),
    scoring: each("scoring"),
    offer: each("offer"),
  };
  return { prefix: `${name}.`, databases: byService, consumerGroups: byService, instance: `${name}-1` };
}
