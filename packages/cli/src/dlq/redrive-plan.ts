import type { CrmTopics } from "@rapport/events";
import { deadLetterPositionText, type OutgoingRecord, redrivenRecord } from "@rapport/kafka";
import { type DeadLetterEntry, eventOf } from "./dead-letter-entry.js";
import type { DlqPosition } from "./dlq-position.js";
import { type RedriveTarget, redriveTarget } from "./redrive-target.js";

/** One dead letter of a redrive: where it goes and the record that takes it there (none when refused). */
export type RedriveStep = {
  position: DlqPosition;
  event: DeadLetterEntry["event"];
  reason: string;
  fixed: boolean;
  target: RedriveTarget;
  record?: OutgoingRecord;
};

/**
 * What a redrive sends: each entry's original bytes, or `fixed` (for a single entry, say what a
 * person corrected from `dlq show --raw`), to its target, marked with the dead-letter position it
 * came from. The key is the original key, else the event's id.
 */
export function planRedrive(
  entries: readonly DeadLetterEntry[],
  topics: CrmTopics,
  fixed?: Buffer,
): RedriveStep[] {
  if (fixed !== undefined && entries.length !== 1)
    throw new Error("a fixed version replaces exactly one dead letter");
  return entries.map((entry) => {
    const value = fixed ?? entry.value;
    const target = redriveTarget(entry, value, topics);
    const step = {
      position: entry.position,
      event: fixed === undefined ? entry.event : eventOf(value),
      reason: entry.reason,
      fixed: fixed !== undefined,
      target,
    };
    if (target.kind === "refused") return step;
    const from = deadLetterPositionText(topics.deadLetter, entry.position.partition, entry.position.offset);
    const key = entry.key ?? step.event.id ?? null;
    return { ...step, record: redrivenRecord(target.topic, { key, value, headers: entry.headers }, from) };
  });
}
