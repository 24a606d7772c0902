import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Everything infra/ downloads, builds or keeps lives under one cache directory outside the repo,
 * so a fresh clone reuses it and `git clean` never throws away minutes of provisioning.
 */
export function resolveCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.RAPPORT_CACHE_DIR;
  if (configured !== undefined && configured !== "") return resolve(configured);
  return join(homedir(), ".cache", "rapport");
}

/** The data directory of the long-lived infra that `infra up` starts (kept across restarts). */
export function resolvePersistentDataDir(cacheDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.RAPPORT_DATA_DIR;
  return configured !== undefined && configured !== "" ? resolve(configured) : join(cacheDir, "data");
}

export function stateFilePath(cacheDir: string): string {
  return join(cacheDir, "run", "state.json");
}

export function provisioningLogDir(cacheDir: string): string {
  return join(cacheDir, "logs");
}
