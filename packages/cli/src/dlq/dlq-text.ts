import { deadLetterHeaders } from "@rapport/kafka";
import { type DeadLetterEntry, originText, parsedJson } from "./dead-letter-entry.js";
import { dlqPositionText } from "./dlq-position.js";
import type { RedriveStep } from "./redrive-plan.js";

const detailWidth = 60;

/** `dlq list`: one row per dead letter, the detail shortened to fit a terminal. */
export function dlqListText(entries: readonly DeadLetterEntry[], scanned: number): string {
  const footer = `${entries.length.toLocaleString("en")} of ${scanned.toLocaleString("en")} dead letters\n`;
  if (entries.length === 0) return footer;
  const header = ["POSITION", "REJECTED AT", "FROM", "REASON", "DETAIL", "EVENT"];
  const rows = entries.map((entry) => [
    dlqPositionText(entry.position),
    entry.rejectedAt.toISOString(),
    originText(entry.origin),
    entry.reason,
    shortened(entry.detail, detailWidth),
    [entry.event.type, entry.event.id].filter((part) => part !== undefined).join(" "),
  ]);
  return `${table([header, ...rows])}${footer}`;
}

/** A dead letter for scripts: everything `dlq list` shows, unshortened. */
export function dlqEntryJson(entry: DeadLetterEntry) {
  return {
    position: dlqPositionText(entry.position),
    rejectedAt: entry.rejectedAt.toISOString(),
    origin: entry.origin,
    reason: entry.reason,
    detail: entry.detail,
    eventId: entry.event.id ?? null,
    eventType: entry.event.type ?? null,
  };
}

/** `dlq show --json`: the list's fields with the key, every header and the value (parsed when JSON). */
export function dlqShowJson(entry: DeadLetterEntry) {
  const parsed = parsedJson(entry.value);
  return {
    ...dlqEntryJson(entry),
    key: entry.key,
    headers: entry.headers,
    value: parsed === undefined ? entry.value.toString("utf8") : parsed.json,
  };
}

/** `dlq show`: the rejection, the record's own headers, and the value, pretty-printed when it is JSON. */
export function dlqShowText(entry: DeadLetterEntry): string {
  const rejectionHeaders = new Set<string>(Object.values(deadLetterHeaders));
  const ownHeaders = Object.entries(entry.headers).filter(([name]) => !rejectionHeaders.has(name));
  const parsed = parsedJson(entry.value);
  const row = (label: string, value: string) => `${label.padEnd(14)}${value}`;
  return [
    row("position", dlqPositionText(entry.position)),
    row("rejected at", entry.rejectedAt.toISOString()),
    row("from", originText(entry.origin)),
    ...(entry.origin.kind === "topic" && entry.origin.consumerGroup
      ? [row("by", `consumer group ${entry.origin.consumerGroup}`)]
      : []),
    row("reason", entry.reason),
    row("detail", entry.detail),
    row("event", [entry.event.type, entry.event.id].filter((part) => part !== undefined).join(" ") || "-"),
    row("key", entry.key ?? "-"),
    "headers",
    ...(ownHeaders.length === 0 ? ["  (none)"] : ownHeaders.map(([name, value]) => `  ${name}: ${value}`)),
    `value (${entry.value.length.toLocaleString("en")} bytes${parsed === undefined ? "" : ", JSON"})`,
    parsed === undefined ? entry.value.toString("utf8") : JSON.stringify(parsed.json, null, 2),
    "",
  ].join("\n");
}

/** What a redrive sent (or, with --dry-run, would send) where, and what it refused and why. */
export function redriveText(steps: readonly RedriveStep[], dryRun: boolean): string {
  const lines = steps.map((step) => {
    const what = [
      dlqPositionText(step.position),
      step.event.type,
      step.event.id,
      step.fixed ? "(fixed)" : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(" ");
    return step.target.kind === "send"
      ? `${dryRun ? "would send" : "sent"} ${what} → ${step.target.topic}`
      : `not redriven: ${what}: ${step.target.why}`;
  });
  const sent = steps.filter((step) => step.target.kind === "send").length;
  const refused = steps.length - sent;
  const summary = `${dryRun ? "would redrive" : "redrove"} ${sent} of ${steps.length} dead letters${
    refused > 0 ? `; ${refused} cannot be redriven` : ""
  }${dryRun ? " (dry run: nothing was sent)" : ""}`;
  return `${[...lines, summary].join("\n")}\n`;
}

export function redriveJson(steps: readonly RedriveStep[], dryRun: boolean) {
  return {
    dryRun,
    steps: steps.map((step) => ({
      position: dlqPositionText(step.position),
      eventId: step.event.id ?? null,
      eventType: step.event.type ?? null,
      fixed: step.fixed,
      ...(step.target.kind === "send"
        ? { sentTo: step.target.topic, refused: null }
        : { sentTo: null, refused: step.target.why }),
    })),
  };
}

function shortened(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, width - 1)}…`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}
