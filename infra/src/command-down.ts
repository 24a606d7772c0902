import { resolveCacheDir, stateFilePath } from "./cache-dir.js";
import type { CommandIo } from "./command-io.js";
import { describeError } from "./infra-error.js";
import { isOurServer } from "./local-infra.js";
import { terminateProcess } from "./process-control.js";
import { readStateFile, removeStateFile } from "./state-file.js";

/** `infra down`: stops what `infra up` recorded; running it twice is harmless. */
export async function downCommand(io: CommandIo, env: NodeJS.ProcessEnv): Promise<number> {
  const statePath = stateFilePath(resolveCacheDir(env));
  let state: Awaited<ReturnType<typeof readStateFile>>;
  try {
    state = await readStateFile(statePath);
  } catch (error) {
    io.err(`${describeError(error)}; removing it`);
    await removeStateFile(statePath);
    return 0;
  }
  if (state === undefined) {
    io.out("Local infra is not running.");
    return 0;
  }
  const servers = [
    { name: "Kafka", kind: "kafka", pid: state.kafka.pid },
    { name: "FerretDB", kind: "ferretdb", pid: state.ferretdb.pid },
  ] as const;
  await Promise.all(
    servers.map(async ({ name, kind, pid }) => {
      if (!isOurServer(kind, pid)) {
        io.out(`${name} (pid ${pid}) was not running.`);
        return;
      }
      const outcome = await terminateProcess(pid);
      io.out(
        outcome === "killed"
          ? `${name} (pid ${pid}) did not stop in time and was killed.`
          : `Stopped ${name} (pid ${pid}).`,
      );
    }),
  );
  await removeStateFile(statePath);
  return 0;
}
