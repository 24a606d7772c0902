import { deadLetterHeaders } from "./dead-letter.js";
import type { OutgoingRecord } from "./records.js";

/** The header on a redriven record: the dead-letter position it was re-submitted from. */
export const redrivenFromHeader = "rapport-redriven-from";

/** Where a dead-letter record sits: `<dlq topic>/<partition>:<offset>`, as the redriven header says it. */
export function deadLetterPositionText(dlqTopic: string, partition: number, offset: string): string {
  return `${dlqTopic}/${partition}:${offset}`;
}

/**
 * A dead-letter record re-submitted to `topic`: its value (the original bytes, or a fixed version),
 * the original headers without the rejection's (a new rejection writes its own), and where it came
 * from, so a record rejected again can be traced back to the earlier rejection.
 */
export function redrivenRecord(
  topic: string,
  deadLetter: { key: string | null; value: string | Buffer; headers: Record<string, string> },
  from: string,
): OutgoingRecord {
  const rejectionHeaders = new Set<string>(Object.values(deadLetterHeaders));
  const headers = Object.fromEntries(
    Object.entries(deadLetter.headers).filter(([name]) => !rejectionHeaders.has(name)),
  );
  return {
    topic,
    key: deadLetter.key,
    value: deadLetter.value,
    headers: { ...headers, [redrivenFromHeader]: from },
  };
}
