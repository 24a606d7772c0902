import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const benchmarksDocPath = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));

const introduction = `# Benchmarks

Figures in this file come only from runs of the benchmarks in [bench/](../bench), which write them here:
each section is replaced when its benchmark runs again and says what was measured, the command, the date,
the commit, the machine and its load average before and after, and how many runs the figures summarise.
The machine they ran on is shared and noisy, so every figure is repeated and reported as the median with
the range (min – max) over the runs; compare figures from the same section, not across machines.

\`npm run bench\` runs every benchmark; \`npm run bench -w @rapport/bench -- <name> --help\` lists a
benchmark's options.
`;

const startMarker = (name: string) => `<!-- bench:${name}:start -->`;
const endMarker = (name: string) => `<!-- bench:${name}:end -->`;

/**
 * The document with the named benchmark's section replaced (or appended when it is new); everything
 * outside the section's markers is kept as it is.
 */
export function withBenchmarkSection(document: string, name: string, section: string): string {
  const block = `${startMarker(name)}\n${section.trim()}\n${endMarker(name)}\n`;
  const start = document.indexOf(startMarker(name));
  const end = document.indexOf(endMarker(name));
  if (start >= 0 && end > start) {
    const after = document.slice(end + endMarker(name).length).replace(/^\n/, "");
    return `${document.slice(0, start)}${block}${after}`;
  }
  const base = document.trim() === "" ? introduction : document;
  return `${base.trimEnd()}\n\n${block}`;
}

/** Writes the section into docs/benchmarks.md (created with its introduction if missing); returns the path. */
export async function writeBenchmarkSection(name: string, section: string): Promise<string> {
  const existing = await readFile(benchmarksDocPath, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  await writeFile(benchmarksDocPath, withBenchmarkSection(existing, name, section));
  return benchmarksDocPath;
}
