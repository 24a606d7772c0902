import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { InfraError } from "./infra-error.js";
import { findExecutable } from "./prerequisites.js";

export interface ServiceSpawn {
  command: string;
  args: readonly string[];
  /** stdout and stderr are appended here; a server's console never reaches the terminal. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * true for `infra up`: the server keeps running after this process exits.
   * false for tests and `infra run`: the kernel sends the server SIGTERM when this process dies,
   * even by SIGKILL, so a crashed test run leaves no broker behind.
   */
  outliveParent: boolean;
}

export interface ServiceProcess {
  pid: number;
  logFile: string;
  /** Settles when the process exits; resolves with a description of how. */
  exited: Promise<string>;
  /** How the process exited, or undefined while it runs. */
  exitDescription(): string | undefined;
}

export function spawnService(service: ServiceSpawn): ServiceProcess {
  mkdirSync(dirname(service.logFile), { recursive: true });
  const logFd = openSync(service.logFile, "a");
  const { command, args } = service.outliveParent
    ? { command: service.command, args: service.args }
    : withParentDeathSignal(service.command, service.args);
  try {
    const child = spawn(command, args, {
      cwd: service.cwd,
      env: service.env ?? process.env,
      stdio: ["ignore", logFd, logFd],
      // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop the
      // servers in order instead of racing their shutdown against ours.
      detached: true,
    });
    // Listen before anything can throw: an unheard "error" event would crash the process.
    let exitDescription: string | undefined;
    const exited = new Promise<string>((resolve) => {
      child.once("error", (error) => {
        exitDescription = `failed to start: ${error.message}`;
        resolve(exitDescription);
      });
      child.once("exit", (code, signal) => {
        exitDescription = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
        resolve(exitDescription);
      });
    });
    if (child.pid === undefined) {
      throw new InfraError(`Could not start ${service.command}; see ${service.logFile}`);
    }
    if (service.outliveParent) child.unref();
    return { pid: child.pid, logFile: service.logFile, exited, exitDescription: () => exitDescription };
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(logFd);
  }
}

/**
 * Linux has no portable "die with your parent" for arbitrary programs; util-linux's setpriv sets
 * PR_SET_PDEATHSIG and then execs the program in place, so the pid we hold is the server's own.
 */
function withParentDeathSignal(
  command: string,
  args: readonly string[],
): { command: string; args: readonly string[] } {
  const setpriv = process.platform === "linux" ? findExecutable("setpriv") : undefined;
  if (setpriv === undefined) return { command, args };
  return { command: setpriv, args: ["--pdeathsig", "TERM", "--", command, ...args] };
}
