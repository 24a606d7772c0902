import type { SourceRecord } from "./source-record.js";

/**
 * One line of an NDJSON file. A line with `specversion` is a CloudEvent someone already wrote and is
 * sent as is; any other object is a flat record, mapped like a CSV row. Blank lines are skipped.
 */
export function ndjsonRecordOf(line: string, row: number): SourceRecord | undefined {
  const text = line.trim();
  if (text === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: "unreadable", row, detail: `not JSON: ${(error as Error).message}`, text };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { kind: "unreadable", row, detail: "a line must be a JSON object", text };
  }
  const object = value as Record<string, unknown>;
  if ("specversion" in object) return { kind: "cloud_event", row, event: object };
  const cells: Record<string, string> = {};
  for (const [key, field] of Object.entries(object)) {
    if (field === null) continue;
    if (typeof field === "object") {
      return {
        kind: "unreadable",
        row,
        detail: `"${key}" holds ${Array.isArray(field) ? "an array" : "an object"}; a flat record holds strings, numbers and booleans`,
        text,
      };
    }
    cells[key] = String(field);
  }
  return { kind: "cells", row, cells };
}
