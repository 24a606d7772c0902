import type { RowWarning } from "../import/row-warning.js";
import { createReportFile, type ReportFile } from "./report-file.js";

export function warningFilePath(inputPath: string): string {
  return `${inputPath}.warnings.ndjson`;
}

/**
 * The fields left out of rows that were sent without them, one line each
 * (`<file>.warnings.ndjson`). Unlike a rejected row, such a row is not imported again once fixed:
 * its event id is already in the log, so the corrected value has to come as a later event.
 */
export function createWarningFile(path: string): Promise<WarningFile> {
  return createReportFile<RowWarning>(path);
}

export type WarningFile = ReportFile<RowWarning>;
