import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { FatalError } from "../cli-errors.js";

export type ExportOutput = {
  /** Where the export goes, for messages: the file, or "stdout". */
  destination: string;
  write(text: string): Promise<void>;
  /** The export is whole: the file takes its place. */
  complete(): Promise<void>;
  /** The export failed: nothing is left that could pass for a whole export. */
  abandon(): Promise<void>;
};

/**
 * Where an export is written: standard output, or a file. A file is written beside its final name
 * and renamed when the export completes, so a failed export never leaves a truncated file that
 * looks whole (or replaces an earlier complete one).
 */
export async function openExportOutput(
  file: string | undefined,
  stdout: { write(text: string): unknown },
): Promise<ExportOutput> {
  if (file === undefined) {
    return {
      destination: "stdout",
      write: async (text) => {
        stdout.write(text);
      },
      complete: async () => {},
      abandon: async () => {},
    };
  }
  const partial = `${file}.partial`;
  let handle: FileHandle;
  try {
    handle = await open(partial, "w");
  } catch (error) {
    throw new FatalError(`cannot write ${file}: ${(error as Error).message}`);
  }
  return {
    destination: file,
    write: async (text) => {
      await handle.write(text);
    },
    async complete() {
      await handle.close();
      await rename(partial, file);
    },
    async abandon() {
      await handle.close().catch(() => undefined);
      await rm(partial, { force: true });
    },
  };
}
