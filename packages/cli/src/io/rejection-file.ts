import { type FileHandle, open, rm } from "node:fs/promises";

/** One line of `<file>.rejected.ndjson`: the row, who refused it and why, and the row as read. */
export type RejectionEntry = {
  row: number;
  rejectedBy: "importer" | "ingestion";
  reason: string;
  detail: string;
  record: unknown;
};

export function rejectionFilePath(inputPath: string): string {
  return `${inputPath}.rejected.ndjson`;
}

/**
 * The rejected rows of one run, next to the input, so nothing is lost: fix them and import that
 * file. It is created at the first rejection; a file left by an earlier run is removed at the start,
 * because it would describe rows this run may have imported.
 */
export async function createRejectionFile(path: string) {
  await rm(path, { force: true });
  let handle: FileHandle | undefined;
  let written = 0;
  // Rows are rejected both by the reader and by answers to batches in flight; writes go in turn.
  let queue: Promise<void> = Promise.resolve();

  function write(entry: RejectionEntry): Promise<void> {
    queue = queue.then(async () => {
      handle ??= await open(path, "w");
      await handle.write(`${JSON.stringify(entry)}\n`);
      written += 1;
    });
    return queue;
  }

  /** Closes the file; says whether anything was written. */
  async function close(): Promise<boolean> {
    await queue;
    await handle?.close();
    return written > 0;
  }

  return { path, write, close };
}

export type RejectionFile = Awaited<ReturnType<typeof createRejectionFile>>;
