import type { CommandIo } from "../src/index.js";

/** A command's streams as strings, with the environment and working directory it is given. */
export function bufferedIo(env: Record<string, string> = {}, cwd = process.cwd()) {
  const out = { stdout: "", stderr: "" };
  const io: CommandIo = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    env,
    cwd,
  };
  return { io, out };
}
