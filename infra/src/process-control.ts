import { readFileSync } from "node:fs";

export type TerminationOutcome = "not-running" | "stopped" | "killed";

/**
 * Whether a pid belongs to a live process. A zombie (exited, not yet reaped, common in containers
 * whose init never reaps) counts as dead: it holds no port and no file.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
  return processState(pid) !== "Z";
}

/** The command line of a process, or undefined where /proc cannot tell (not Linux, or gone). */
export function processCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return undefined;
  }
}

/**
 * Whether the pid is still the process we started, and not an unrelated one that reused the pid
 * after a reboot. Where /proc is unavailable, a live pid is taken at its word.
 */
export function isOurProcess(pid: number, commandMarker: string): boolean {
  if (!isProcessAlive(pid)) return false;
  const commandLine = processCommandLine(pid);
  return commandLine === undefined || commandLine.includes(commandMarker);
}

/** SIGTERM, a grace period for a clean shutdown, then SIGKILL; resolves once the process is gone. */
export async function terminateProcess(pid: number, graceMs = 20_000): Promise<TerminationOutcome> {
  if (!signal(pid, "SIGTERM")) return "not-running";
  if (await waitForExit(pid, graceMs)) return "stopped";
  signal(pid, "SIGKILL");
  await waitForExit(pid, 10_000);
  return "killed";
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

function processState(pid: number): string | undefined {
  try {
    // The state letter follows the parenthesised command name, which may itself contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
}
