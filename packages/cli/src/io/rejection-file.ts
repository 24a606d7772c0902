import { createReportFile, type ReportFile } from "./report-file.js";

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

/** The rejected rows of one run, so nothing is lost: fix them and import them again. */
export function createRejectionFile(path: string): Promise<RejectionFile> {
  return createReportFile<RejectionEntry>(path);
}

export type RejectionFile = ReportFile<RejectionEntry>;
