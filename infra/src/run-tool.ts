import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { stripVTControlCharacters } from "node:util";
import { InfraError } from "./infra-error.js";
import type { Progress } from "./progress.js";

export interface ToolRun {
  command: string;
  args: readonly string[];
  /** Names the run in progress lines and errors, e.g. "Maven (Kafka jars)". */
  label: string;
  /** The tool's whole output is appended here, so a failure can be read in full. */
  logFile: string;
  progress: Progress;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Lines worth counting as progress (a download, a compiled package). */
  isProgressLine?: (line: string) => boolean;
  heartbeatMs?: number;
}

/**
 * Runs a provisioning tool (mvn, go) that may take minutes on a cold cache. Every few seconds it
 * reports that the tool is alive and what it last did, so nobody mistakes it for a hang.
 * Resolves with the tool's stdout.
 */
export async function runTool(run: ToolRun): Promise<string> {
  await mkdir(dirname(run.logFile), { recursive: true });
  const log = createWriteStream(run.logFile, { flags: "a" });
  log.write(`\n$ ${run.command} ${run.args.join(" ")}\n`);
  const child = spawn(run.command, run.args, {
    cwd: run.cwd,
    env: run.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });

  let stdout = "";
  let progressLines = 0;
  let lastLine = "";
  const onLine = (rawLine: string): void => {
    // Some tools colour their output even when it is not a terminal.
    const line = stripVTControlCharacters(rawLine);
    log.write(`${line}\n`);
    const trimmed = line.trim();
    if (trimmed === "") return;
    lastLine = trimmed;
    if (run.isProgressLine?.(trimmed)) progressLines += 1;
  };
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
  });
  createInterface({ input: child.stdout }).on("line", onLine);
  createInterface({ input: child.stderr }).on("line", onLine);

  const heartbeat = setInterval(() => {
    const counted = run.isProgressLine === undefined ? "" : ` (${progressLines} steps so far)`;
    run.progress.step(`  … ${run.label} still working${counted}: ${truncate(lastLine, 100)}`);
  }, run.heartbeatMs ?? 5000);

  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve(code));
    });
    if (exitCode !== 0) {
      throw new InfraError(
        `${run.label} failed (${run.command} exited with ${exitCode}): ${truncate(lastLine, 200)} — full output in ${run.logFile}`,
      );
    }
    return stdout;
  } catch (error) {
    if (isNotFound(error)) {
      throw new InfraError(`${run.label} needs \`${run.command}\`, which is not on PATH`);
    }
    throw error;
  } finally {
    clearInterval(heartbeat);
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
