import { resolveCacheDir } from "./cache-dir.js";
import type { CommandIo } from "./command-io.js";
import { isFerretdbProvisioned, provisionFerretdb } from "./ferretdb-provisioning.js";
import { isKafkaProvisioned, provisionKafka } from "./kafka-provisioning.js";
import { assertToolsInstalled, type RequiredTool } from "./prerequisites.js";
import { createProgress } from "./progress.js";

/** `infra provision`: fills the cache without starting anything (e.g. a CI cache-warming step). */
export async function provisionCommand(io: CommandIo, env: NodeJS.ProcessEnv): Promise<number> {
  const cacheDir = resolveCacheDir(env);
  const tools: RequiredTool[] = [];
  if (!isKafkaProvisioned(cacheDir)) tools.push("mvn");
  if (!isFerretdbProvisioned(cacheDir)) tools.push("go", "git");
  assertToolsInstalled(tools, env);
  const progress = createProgress((message) => io.err(message));
  const [kafka, ferretdb] = await Promise.all([
    provisionKafka(cacheDir, progress),
    provisionFerretdb(cacheDir, progress),
  ]);
  io.out(`Kafka jars: ${kafka.libsDir}`);
  io.out(`FerretDB:   ${ferretdb.binary}`);
  return 0;
}
