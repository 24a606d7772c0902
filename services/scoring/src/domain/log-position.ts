import { compareText } from "./customer-facts.js";
import { mergeEntries, searchKey, withEntry } from "./projections/keyed-entries.js";

/**
 * Where a record sits in the log: its stream (one partition of one topic, `topic:partition`) and its
 * offset. Records of one stream are read in offset order, which is what makes a redelivery
 * recognisable by its position alone.
 */
export type LogPosition = { stream: string; offset: number };

/**
 * How far the records that named one customer id have been taken in, per stream: every record of
 * `stream` naming `customerId` at or below `offset` has been applied. Records of one stream come in
 * offset order, so one number per customer id and stream tells a redelivered record (after a crash
 * between the store's write and the commit of the offsets) from a new one. The marks of a customer id
 * move with its facts when it is merged into another, and are never mixed with another id's.
 */
export type AppliedMark = { customerId: string; stream: string; offset: number };

const keyOf = (mark: AppliedMark) => `${mark.customerId}\u0000${mark.stream}`;

/** The offset up to which `customerId`'s records of `stream` have been applied (-1: none yet). */
export function appliedUpTo(marks: readonly AppliedMark[], customerId: string, stream: string): number {
  const { found, index } = searchKey(marks, `${customerId}\u0000${stream}`, keyOf);
  return found ? (marks[index] as AppliedMark).offset : -1;
}

export function withApplied(
  marks: readonly AppliedMark[],
  customerId: string,
  position: LogPosition,
): AppliedMark[] {
  return withEntry(marks, `${customerId}\u0000${position.stream}`, keyOf, (existing) => ({
    customerId,
    stream: position.stream,
    offset: Math.max(existing?.offset ?? -1, position.offset),
  }));
}

export function combineMarks(a: readonly AppliedMark[], b: readonly AppliedMark[]): AppliedMark[] {
  return mergeEntries(a, b, keyOf, (x, y) => (x.offset >= y.offset ? x : y));
}

/** Log order within a stream; streams by name. */
export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  return compareText(a.stream, b.stream) || a.offset - b.offset;
}
