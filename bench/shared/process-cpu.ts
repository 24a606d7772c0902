import { readFileSync } from "node:fs";

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux architecture Node runs on.
const clockTicksPerSecond = 100;

/** CPU seconds (user + system, all threads) a process has used so far; undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

/** Processes whose CPU use is watched during a measurement, by what they are. */
export type WatchedProcesses = Record<string, number>;

export type CpuSnapshot = { atMs: number; seconds: Record<string, number> };

export function cpuSnapshot(processes: WatchedProcesses): CpuSnapshot {
  const seconds: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) {
    const used = pid === process.pid ? cpuSecondsOfThisProcess() : processCpuSeconds(pid);
    if (used !== undefined) seconds[name] = used;
  }
  return { atMs: performance.now(), seconds };
}

/** Each process's CPU use between two snapshots, in cores (1.0 = one core busy all the time). */
export function coresUsed(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const wallSeconds = (after.atMs - before.atMs) / 1000;
  const cores: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(after.seconds)) {
    const start = before.seconds[name];
    if (start !== undefined && wallSeconds > 0) cores[name] = (seconds - start) / wallSeconds;
  }
  return cores;
}

function cpuSecondsOfThisProcess(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
