import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import { FatalError } from "../cli-errors.js";
import type { FileColumns } from "../import/column-plan.js";
import { ndjsonRecordOf } from "../import/ndjson-line.js";
import type { SourceRecord } from "../import/source-record.js";

export type InputFormat = "csv" | "ndjson";

/** A record and how far into the file (in bytes) reading has come, for the progress percentage. */
export type ReadRecord = { record: SourceRecord; bytesRead: number };

export function formatOf(path: string): InputFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  return undefined;
}

/** Streams the records of a file, so a file of any size is read in constant memory. */
export function readRecords(path: string, format: InputFormat): AsyncGenerator<ReadRecord> {
  return format === "csv" ? readCsv(path) : readNdjson(path);
}

/** The CSV header, or the keys of the first flat NDJSON record: what the file can be mapped from. */
export async function readFileColumns(path: string, format: InputFormat): Promise<FileColumns> {
  if (format === "csv") {
    const parser = createReadStream(path).pipe(parse({ bom: true, to_line: 1 }));
    for await (const header of parser as AsyncIterable<string[]>) return { kind: "header", names: header };
    return { kind: "header", names: [] };
  }
  for await (const { record } of readNdjson(path)) {
    if (record.kind === "cells") return { kind: "sample", names: Object.keys(record.cells) };
  }
  return { kind: "sample", names: [] };
}

type CsvRow = { record: Record<string, string>; info: { bytes: number; lines: number } };

async function* readCsv(path: string): AsyncGenerator<ReadRecord> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, columns: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRow>) {
      yield { record: { kind: "cells", row: info.lines, cells: record }, bytesRead: info.bytes };
    }
  } catch (error) {
    // A broken quote or a duplicate header leaves no way to tell where rows begin: stop, and say where.
    throw new FatalError(`${path} is not readable as CSV: ${(error as Error).message}`);
  }
}

async function* readNdjson(path: string): AsyncGenerator<ReadRecord> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let row = 0;
  let bytesRead = 0;
  for await (const line of lines) {
    row += 1;
    bytesRead += Buffer.byteLength(line) + 1;
    const record = ndjsonRecordOf(row === 1 ? line.replace(/^\uFEFF/, "") : line, row);
    if (record) yield { record, bytesRead };
  }
}
