import { resolveCacheDir, resolvePersistentDataDir, stateFilePath } from "./cache-dir.js";
import type { CommandIo } from "./command-io.js";
import { describeError, InfraError } from "./infra-error.js";
import { probeKafka } from "./kafka-probe.js";
import { isOurServer, startLocalInfra, stopServers } from "./local-infra.js";
import { probeMongo } from "./mongo-probe.js";
import { parsePort } from "./ports.js";
import {
  DEFAULT_KAFKA_CONTROLLER_PORT,
  DEFAULT_KAFKA_PORT,
  DEFAULT_MONGODB_PORT,
  PORT_ENV,
} from "./settings.js";
import { type InfraState, readStateFile, removeStateFile, writeStateFile } from "./state-file.js";

/** `infra up`: starts the long-lived local infra in the background, or reports the one running. */
export async function upCommand(io: CommandIo, env: NodeJS.ProcessEnv): Promise<number> {
  const cacheDir = resolveCacheDir(env);
  const statePath = stateFilePath(cacheDir);
  const kafkaPort = parsePort(env[PORT_ENV.kafka], PORT_ENV.kafka, DEFAULT_KAFKA_PORT);
  const kafkaControllerPort = parsePort(
    env[PORT_ENV.kafkaController],
    PORT_ENV.kafkaController,
    DEFAULT_KAFKA_CONTROLLER_PORT,
  );
  const mongoPort = parsePort(env[PORT_ENV.mongodb], PORT_ENV.mongodb, DEFAULT_MONGODB_PORT);

  const previous = await readStateFile(statePath).catch((error: unknown) => {
    io.err(`${describeError(error)}; ignoring it`);
    return undefined;
  });
  if (previous !== undefined && (await isRunningAndAnswering(previous))) {
    io.err(
      `Local infra is already running (Kafka pid ${previous.kafka.pid}, FerretDB pid ${previous.ferretdb.pid}).`,
    );
    printEndpoints(io, previous);
    return 0;
  }
  if (previous !== undefined) {
    // Half of it died, or it never finished starting: clear the leftovers and start afresh.
    const recorded = [
      { kind: "kafka", pid: previous.kafka.pid },
      { kind: "ferretdb", pid: previous.ferretdb.pid },
    ] as const;
    const leftovers = recorded.filter(({ kind, pid }) => isOurServer(kind, pid));
    if (leftovers.length > 0) {
      io.err(`Stopping leftovers of an earlier start (pids ${leftovers.map(({ pid }) => pid).join(", ")})`);
    }
    await stopServers(leftovers);
    await removeStateFile(statePath);
  }

  const dataDir = resolvePersistentDataDir(cacheDir, env);
  const infra = await startLocalInfra({
    dataDir,
    kafkaPort,
    kafkaControllerPort,
    mongoPort,
    cacheDir,
    outliveParent: true,
    onProgress: (message) => io.err(message),
  });
  const state: InfraState = {
    startedAt: new Date().toISOString(),
    dataDir,
    kafkaBrokers: infra.kafkaBrokers,
    mongodbUri: infra.mongodbUri,
    kafka: infra.kafka,
    ferretdb: infra.ferretdb,
  };
  try {
    await writeStateFile(statePath, state);
  } catch (error) {
    await infra.stop();
    throw new InfraError(`Could not record the running infra in ${statePath}: ${describeError(error)}`);
  }
  io.err(`Data: ${dataDir}`);
  io.err(`Logs: ${infra.kafka.logFile}, ${infra.ferretdb.logFile}`);
  io.err("Stop with: npm run infra:down");
  printEndpoints(io, state);
  return 0;
}

async function isRunningAndAnswering(state: InfraState): Promise<boolean> {
  if (!isOurServer("kafka", state.kafka.pid) || !isOurServer("ferretdb", state.ferretdb.pid)) return false;
  const [kafkaAnswers, mongoAnswers] = await Promise.all([
    probeKafka(state.kafkaBrokers),
    probeMongo(state.mongodbUri),
  ]);
  return kafkaAnswers && mongoAnswers;
}

function printEndpoints(io: CommandIo, state: InfraState): void {
  io.out(`KAFKA_BROKERS=${state.kafkaBrokers}`);
  io.out(`MONGODB_URI=${state.mongodbUri}`);
}
