import { type FileHandle, open, rm } from "node:fs/promises";

/**
 * An NDJSON file next to the input that tells about some rows of one run, one line each. It is
 * created at the first line; a file left by an earlier run is removed at the start, because it
 * would describe rows this run may have imported.
 */
export async function createReportFile<Entry>(path: string) {
  await rm(path, { force: true });
  let handle: FileHandle | undefined;
  let written = 0;
  // Lines come both from the reader and from answers to batches in flight; writes go in turn.
  let queue: Promise<void> = Promise.resolve();

  function write(entry: Entry): Promise<void> {
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

export type ReportFile<Entry> = Awaited<ReturnType<typeof createReportFile<Entry>>>;
