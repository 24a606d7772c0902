import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalInfra, startLocalInfra } from "./local-infra.js";
import { findFreePorts } from "./ports.js";
import type { ProgressListener } from "./progress.js";

export interface ThrowawayInfraOptions {
  onProgress?: ProgressListener;
  cacheDir?: string;
  readyTimeoutMs?: number;
}

/**
 * Kafka and FerretDB for one test run or one `infra run`: free ports, a fresh data directory,
 * and both removed again by stop(). Runs side by side with `infra up` and with other runs.
 * When start-up fails the data directory is kept, because the error points at logs inside it.
 */
export async function startThrowawayInfra(options: ThrowawayInfraOptions = {}): Promise<LocalInfra> {
  const dataDir = await mkdtemp(join(tmpdir(), "rapport-infra-"));
  const [kafkaPort, kafkaControllerPort, mongoPort] = await findFreePorts(3);
  if (kafkaPort === undefined || kafkaControllerPort === undefined || mongoPort === undefined) {
    throw new Error("findFreePorts returned fewer ports than asked for");
  }
  const infra = await startLocalInfra({ ...options, dataDir, kafkaPort, kafkaControllerPort, mongoPort });
  let stopping: Promise<void> | undefined;
  return {
    ...infra,
    stop: () => {
      stopping ??= infra.stop().then(() => rm(dataDir, { recursive: true, force: true }));
      return stopping;
    },
  };
}
