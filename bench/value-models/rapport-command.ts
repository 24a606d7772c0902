import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

export type RapportRun = { exitCode: number; stdout: string; seconds: number };

/**
 * Runs the real `rapport` command line as `npm run rapport` does (packages/cli/src/main.ts under tsx),
 * as a process of its own, so its CPU is its own; what it writes to stderr (the import's progress)
 * goes to ours, its stdout is kept. No RAPPORT_* or *_GRPC_ADDRESS setting of the shell reaches it:
 * every address is on the command line.
 */
export function runRapport(args: readonly string[]): Promise<RapportRun> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^RAPPORT_|_GRPC_ADDRESS$/.test(name)),
  );
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=source", "packages/cli/src/main.ts", ...args],
      { cwd: repositoryRoot, env, stdio: ["ignore", "pipe", 2] },
    );
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      resolve({ exitCode: code ?? 1, stdout, seconds: (performance.now() - began) / 1000 }),
    );
  });
}

/** `rapport …` as a reader would type it, for the report. */
export function rapportCommandText(args: readonly string[]): string {
  return `rapport ${args.join(" ")}`;
}
