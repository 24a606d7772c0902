import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

/** The 1-, 5- and 15-minute load averages as /proc/loadavg shows them. */
export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

export function oneMinuteLoad(): number {
  return Number(loadAverage().split(" ")[0]);
}

export type MachineFacts = { cpuModel: string; cores: number; node: string; commit: string };

/**
 * The machine, the Node.js version and the commit. `measuredCode` names the paths (relative to the
 * repository root) of the code the benchmark runs: only uncommitted changes there make the commit an
 * inexact description.
 */
export function machineFacts(measuredCode: readonly string[]): MachineFacts {
  let commit = "unknown";
  try {
    const git = (args: string[]) =>
      execFileSync("git", ["-C", repositoryRoot, ...args], { encoding: "utf8" });
    commit = git(["rev-parse", "--short", "HEAD"]).trim();
    const dirty = git(["status", "--porcelain", "--untracked-files=no", "--", ...measuredCode]);
    if (dirty.trim() !== "") commit += " (with uncommitted changes)";
  } catch {
    // Not a git checkout: the report says "unknown".
  }
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: Number(execFileSync("nproc", { encoding: "utf8" }).trim()),
    node: process.version,
    commit,
  };
}
