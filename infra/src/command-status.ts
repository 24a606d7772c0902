import { resolveCacheDir, stateFilePath } from "./cache-dir.js";
import { type CommandIo, EXIT_NOT_RUNNING } from "./command-io.js";
import { describeError } from "./infra-error.js";
import { probeKafka } from "./kafka-probe.js";
import { isOurServer } from "./local-infra.js";
import { probeMongo } from "./mongo-probe.js";
import { readStateFile } from "./state-file.js";

/** `infra status`: one line per server; exit 0 only when both run and answer. */
export async function statusCommand(io: CommandIo, env: NodeJS.ProcessEnv): Promise<number> {
  const state = await readStateFile(stateFilePath(resolveCacheDir(env))).catch((error: unknown) => {
    io.err(`${describeError(error)}; ignoring it`);
    return undefined;
  });
  if (state === undefined) {
    io.out("kafka     stopped");
    io.out("ferretdb  stopped");
    return EXIT_NOT_RUNNING;
  }
  const rows = await Promise.all([
    describeServer("kafka", state.kafka.pid, state.kafka.port, state.kafka.logFile, () =>
      probeKafka(state.kafkaBrokers),
    ),
    describeServer("ferretdb", state.ferretdb.pid, state.ferretdb.port, state.ferretdb.logFile, () =>
      probeMongo(state.mongodbUri),
    ),
  ]);
  for (const row of rows) io.out(row.line);
  if (rows.every((row) => row.isHealthy)) {
    io.out(`KAFKA_BROKERS=${state.kafkaBrokers}`);
    io.out(`MONGODB_URI=${state.mongodbUri}`);
    return 0;
  }
  return EXIT_NOT_RUNNING;
}

async function describeServer(
  kind: "kafka" | "ferretdb",
  pid: number,
  port: number,
  logFile: string,
  probe: () => Promise<boolean>,
): Promise<{ line: string; isHealthy: boolean }> {
  const name = kind.padEnd(9);
  if (!isOurServer(kind, pid))
    return { line: `${name} stopped   (was pid ${pid}; log: ${logFile})`, isHealthy: false };
  const answers = await probe();
  const health = answers ? "answering" : "NOT answering";
  return {
    line: `${name} running   pid ${pid}  port ${port}  ${health}  log: ${logFile}`,
    isHealthy: answers,
  };
}
