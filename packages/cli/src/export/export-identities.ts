import { FatalError } from "../cli-errors.js";
import type { ExportedSourceRecord, IdentityExportFormat } from "./identity-export-format.js";
import { identityExportFormat } from "./identity-export-format.js";

/** One answer of ListSourceRecords; an empty `nextPageToken` means it was the last page. */
export type SourceRecordPage = { records: ExportedSourceRecord[]; nextPageToken: string };

export type IdentityExportDependencies = {
  /** The page after `pageToken` ("" for the first). */
  listPage(pageToken: string): Promise<SourceRecordPage>;
  write(text: string): Promise<void>;
  /** Called after each page is written, with the records written so far. */
  onPage?(recordsWritten: number): void;
};

/**
 * Pages through identity's source records and writes each as a line, one page at a time: memory
 * holds a page, not the export. Resolves to how many records were written.
 */
export async function exportIdentities(
  format: IdentityExportFormat,
  { listPage, write, onPage }: IdentityExportDependencies,
): Promise<{ records: number; pages: number }> {
  const { header, line } = identityExportFormat(format);
  let records = 0;
  let pages = 0;
  let pageToken = "";
  do {
    const page = await listPage(pageToken);
    // The header waits for identity's first answer: an export that cannot start writes nothing.
    const text = (pages === 0 ? header : "") + page.records.map(line).join("");
    if (text !== "") await write(text);
    records += page.records.length;
    pages += 1;
    onPage?.(records);
    // A token answered twice would page for ever; it is identity's bug, not the user's.
    if (page.nextPageToken !== "" && page.nextPageToken === pageToken) {
      throw new FatalError(`identity answered page token ${JSON.stringify(pageToken)} with itself`);
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return { records, pages };
}
