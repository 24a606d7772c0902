import { exitCodes } from "../exit-codes.js";
import type { EventAnswer } from "./event-answer.js";
import { type UnvaluedCurrency, type UnvaluedOrder, withUnvaluedOrder } from "./order-valuation.js";
import type { RowRejection } from "./row-rejection.js";
import type { RowWarning } from "./row-warning.js";

export type RejectionExample = { rows: readonly number[]; detail: string };
export type ReasonCount = { reason: string; count: number; examples: readonly RejectionExample[] };
export type LocalRejectionExample = Omit<RowRejection, "record">;

/** Where an import stands: what was read, sent, taken and refused. A fold over what happened. */
export type ImportTally = {
  rowsRead: number;
  bytesRead: number;
  eventsSent: number;
  accepted: number;
  ignored: number;
  rejectedByIngestion: number;
  /** Ingestion's reasons, most frequent first once summarised, each with its first few details. */
  ingestionReasons: readonly ReasonCount[];
  rejectedLocally: number;
  /** The first local rejections; the rest are only in the rejection file. */
  localExamples: readonly LocalRejectionExample[];
  /** Orders accepted that scoring cannot value (no rate of their currency on their day), by currency. */
  unvaluedOrders: readonly UnvaluedCurrency[];
  /** Fields left out of the events sent (a birth date that is no date, a phone that is no number). */
  fieldsDropped: number;
  /** The rows those fields were in: sent without them. */
  rowsWithDroppedFields: number;
  /** The first dropped fields; the rest are only in the warnings file. */
  droppedExamples: readonly RowWarning[];
};

/** What ingestion answered for one event, the rows it came from, and whether scoring can value it. */
export type AnsweredEvent = {
  answer: EventAnswer;
  rows: readonly number[];
  /** Set for an order scoring cannot value (checked before the import). */
  unvaluedOrder?: UnvaluedOrder;
};

export type ImportHappening =
  | { type: "record_read"; bytesRead: number }
  | { type: "rejected_locally"; rejection: RowRejection }
  /** The fields left out of one event about to be sent. */
  | { type: "fields_dropped"; warnings: readonly RowWarning[] }
  | { type: "events_answered"; answers: readonly AnsweredEvent[] };

export const localExampleLimit = 20;
export const droppedExampleLimit = 20;
export const ingestionExampleLimit = 3;

export function initialTally(): ImportTally {
  return {
    rowsRead: 0,
    bytesRead: 0,
    eventsSent: 0,
    accepted: 0,
    ignored: 0,
    rejectedByIngestion: 0,
    ingestionReasons: [],
    rejectedLocally: 0,
    localExamples: [],
    unvaluedOrders: [],
    fieldsDropped: 0,
    rowsWithDroppedFields: 0,
    droppedExamples: [],
  };
}

export function evolveTally(tally: ImportTally, happening: ImportHappening): ImportTally {
  switch (happening.type) {
    case "record_read":
      return { ...tally, rowsRead: tally.rowsRead + 1, bytesRead: happening.bytesRead };
    case "rejected_locally": {
      const { record: _record, ...example } = happening.rejection;
      return {
        ...tally,
        rejectedLocally: tally.rejectedLocally + 1,
        localExamples:
          tally.localExamples.length < localExampleLimit
            ? [...tally.localExamples, example]
            : tally.localExamples,
      };
    }
    case "fields_dropped":
      return {
        ...tally,
        fieldsDropped: tally.fieldsDropped + happening.warnings.length,
        rowsWithDroppedFields:
          tally.rowsWithDroppedFields + new Set(happening.warnings.map((warning) => warning.row)).size,
        droppedExamples: [...tally.droppedExamples, ...happening.warnings].slice(0, droppedExampleLimit),
      };
    case "events_answered": {
      let current = { ...tally, eventsSent: tally.eventsSent + happening.answers.length };
      for (const event of happening.answers) current = answered(current, event);
      return current;
    }
    default: {
      const unhandled: never = happening;
      return unhandled;
    }
  }
}

function answered(tally: ImportTally, { answer, rows, unvaluedOrder }: AnsweredEvent): ImportTally {
  switch (answer.status) {
    case "accepted":
      return {
        ...tally,
        accepted: tally.accepted + 1,
        unvaluedOrders: unvaluedOrder
          ? withUnvaluedOrder(tally.unvaluedOrders, unvaluedOrder)
          : tally.unvaluedOrders,
      };
    case "ignored":
      return { ...tally, ignored: tally.ignored + 1 };
    case "rejected":
      return {
        ...tally,
        rejectedByIngestion: tally.rejectedByIngestion + 1,
        ingestionReasons: countReason(tally.ingestionReasons, answer.reason, { rows, detail: answer.detail }),
      };
    default: {
      const unhandled: never = answer;
      return unhandled;
    }
  }
}

function countReason(
  reasons: readonly ReasonCount[],
  reason: string,
  example: RejectionExample,
): ReasonCount[] {
  const known = reasons.find((entry) => entry.reason === reason);
  if (!known) return [...reasons, { reason, count: 1, examples: [example] }];
  return reasons.map((entry) =>
    entry === known
      ? {
          reason,
          count: entry.count + 1,
          examples:
            entry.examples.length < ingestionExampleLimit ? [...entry.examples, example] : entry.examples,
        }
      : entry,
  );
}

/**
 * 2 when some rows were rejected (here or by ingestion), else 3 when every row got in but scoring
 * cannot value some orders, else 0. Dropped fields change nothing: their rows got in, and the
 * summary and the warnings file say what was left out.
 */
export function exitCodeOf(tally: ImportTally): 0 | 2 | 3 {
  if (tally.rejectedLocally + tally.rejectedByIngestion > 0) return exitCodes.rejected;
  return tally.unvaluedOrders.length > 0 ? exitCodes.unvalued : exitCodes.ok;
}
