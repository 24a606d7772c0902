import { InfraError } from "./infra-error.js";
import type { ServiceProcess } from "./service-process.js";

export interface ReadinessWait {
  /** Names the server in errors, e.g. "Kafka". */
  name: string;
  /** One attempt to talk to the server: true when it answered. Must not throw. */
  probe: () => Promise<boolean>;
  /** The server's process: its exit ends the wait at once instead of at the deadline. */
  process: ServiceProcess;
  timeoutMs: number;
  pollIntervalMs?: number;
}

/** Waits until a freshly started server answers, failing with a pointer at its log. */
export async function waitUntilAnswering(wait: ReadinessWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  const exitedEarly = (): never => {
    throw new InfraError(
      `${wait.name} ${wait.process.exitDescription()} during start-up; see its log: ${wait.process.logFile}`,
    );
  };
  for (;;) {
    if (wait.process.exitDescription() !== undefined) exitedEarly();
    if (await wait.probe()) return;
    if (wait.process.exitDescription() !== undefined) exitedEarly();
    if (Date.now() >= deadline) {
      throw new InfraError(
        `${wait.name} (pid ${wait.process.pid}) did not answer within ${Math.round(wait.timeoutMs / 1000)} s; see its log: ${wait.process.logFile}`,
      );
    }
    // Wake early if the process dies, so a crash is reported right away.
    await Promise.race([
      wait.process.exited,
      new Promise((resolve) => setTimeout(resolve, wait.pollIntervalMs ?? 250)),
    ]);
  }
}
