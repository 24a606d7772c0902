import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FerretdbInstall } from "./ferretdb-provisioning.js";
import { LOOPBACK } from "./ports.js";
import { type ServiceProcess, spawnService } from "./service-process.js";

/** Found in FerretDB's command line; tells our server apart from a process that reused its pid. */
export const FERRETDB_COMMAND_MARKER = "ferretdb";

export interface FerretdbPaths {
  dir: string;
  /** One SQLite file per database. */
  sqliteDir: string;
  /** FerretDB's process state (its instance id). */
  stateDir: string;
  logFile: string;
}

export function ferretdbPaths(dataDir: string): FerretdbPaths {
  const dir = join(dataDir, "ferretdb");
  return {
    dir,
    sqliteDir: join(dir, "sqlite"),
    stateDir: join(dir, "state"),
    logFile: join(dir, "ferretdb.log"),
  };
}

export function ferretdbArgs(paths: FerretdbPaths, port: number): string[] {
  return [
    "--handler=sqlite",
    // FerretDB wants a file: URL of an existing directory, ending with a slash. In its WAL mode,
    // synchronous=normal syncs at checkpoints instead of at every commit: a crash of FerretDB or of
    // a service loses nothing, a power cut may lose the last commits (a local store, not production).
    `--sqlite-url=${pathToFileURL(paths.sqliteDir).href}/?_pragma=synchronous(normal)`,
    `--state-dir=${paths.stateDir}`,
    `--listen-addr=${LOOPBACK}:${port}`,
    // Its debug/metrics HTTP server defaults to the fixed port 8088, which would collide between
    // concurrent test runs; nothing here uses it.
    "--debug-addr=-",
    "--telemetry=disable",
    "--log-level=info",
  ];
}

export interface FerretdbServerStart {
  install: FerretdbInstall;
  dataDir: string;
  port: number;
  outliveParent: boolean;
}

export async function startFerretdbServer(start: FerretdbServerStart): Promise<ServiceProcess> {
  const paths = ferretdbPaths(start.dataDir);
  await mkdir(paths.sqliteDir, { recursive: true });
  await mkdir(paths.stateDir, { recursive: true });
  return spawnService({
    command: start.install.binary,
    args: ferretdbArgs(paths, start.port),
    logFile: paths.logFile,
    cwd: paths.dir,
    // Belt and braces with --telemetry=disable: FerretDB also honours the DO_NOT_TRACK convention.
    env: { ...process.env, DO_NOT_TRACK: "1" },
    outliveParent: start.outliveParent,
  });
}
