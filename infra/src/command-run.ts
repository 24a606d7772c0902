import { spawn } from "node:child_process";
import { constants } from "node:os";
import { resolveCacheDir } from "./cache-dir.js";
import type { CommandIo } from "./command-io.js";
import { InfraError } from "./infra-error.js";
import { startThrowawayInfra } from "./throwaway-infra.js";

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * `infra run -- <command…>`: a throwaway Kafka and FerretDB (free ports, temporary data) for the
 * life of one command, which finds them in KAFKA_BROKERS and MONGODB_URI. The root `npm test`
 * runs under it, so the broker starts once per test run instead of once per package.
 * Resolves with the command's exit code.
 */
export async function runCommand(
  io: CommandIo,
  env: NodeJS.ProcessEnv,
  command: readonly string[],
): Promise<number> {
  const [executable, ...args] = command;
  if (executable === undefined) throw new InfraError("Usage: infra run -- <command> [args…]");

  // Until the command runs, a signal just ends us: the servers die with us (parent-death signal).
  const exitOnSignal = (signal: NodeJS.Signals): void => process.exit(128 + constants.signals[signal]);
  for (const signal of FORWARDED_SIGNALS) process.once(signal, exitOnSignal);
  let infra: Awaited<ReturnType<typeof startThrowawayInfra>>;
  try {
    infra = await startThrowawayInfra({
      cacheDir: resolveCacheDir(env),
      onProgress: (message) => io.err(message),
    });
  } finally {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, exitOnSignal);
  }

  io.err(`KAFKA_BROKERS=${infra.kafkaBrokers} MONGODB_URI=${infra.mongodbUri}`);
  io.err(`$ ${command.join(" ")}`);
  const child = spawn(executable, args, {
    stdio: "inherit",
    env: { ...env, KAFKA_BROKERS: infra.kafkaBrokers, MONGODB_URI: infra.mongodbUri },
  });
  // A signal is passed on to the command; the infra is stopped once the command has exited.
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once("error", (error) =>
        reject(new InfraError(`Could not run \`${executable}\`: ${error.message}`)),
      );
      child.once("exit", (code, signal) =>
        resolve(signal === null ? (code ?? 1) : 128 + constants.signals[signal]),
      );
    });
  } finally {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    io.err("Stopping the throwaway Kafka and FerretDB");
    await infra.stop();
  }
}
