/** One source record as exported: the record, the customer it resolves to today, and its source. */
export type ExportedSourceRecord = { sourceRecordId: string; customerId: string; source: string };

export const identityExportFormats = ["csv", "ndjson"] as const;
export type IdentityExportFormat = (typeof identityExportFormats)[number];

export function isIdentityExportFormat(value: string): value is IdentityExportFormat {
  return (identityExportFormats as readonly string[]).includes(value);
}

/** The columns of the CSV and the fields of an NDJSON line, in this order. */
const columns = ["source_record_id", "customer_id", "source"] as const;

/** How an export is written: the text before the first record, and each record's line. */
export function identityExportFormat(format: IdentityExportFormat): {
  header: string;
  line(record: ExportedSourceRecord): string;
} {
  switch (format) {
    case "csv":
      return {
        header: `${columns.join(",")}\n`,
        line: (record) => `${valuesOf(record).map(csvField).join(",")}\n`,
      };
    case "ndjson":
      return {
        header: "",
        line: (record) => {
          const values = valuesOf(record);
          return `${JSON.stringify(Object.fromEntries(columns.map((column, index) => [column, values[index]])))}\n`;
        },
      };
    default: {
      const unhandled: never = format;
      return unhandled;
    }
  }
}

function valuesOf(record: ExportedSourceRecord): [string, string, string] {
  return [record.sourceRecordId, record.customerId, record.source];
}

/**
 * A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, with quotes
 * doubled. Identifiers come from upstream systems, so any of these may turn up in a record id.
 */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
