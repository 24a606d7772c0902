import type { EventAnswer } from "./event-answer.js";
import type { RowRejection } from "./row-rejection.js";

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
};

export type ImportHappening =
  | { type: "record_read"; bytesRead: number }
  | { type: "rejected_locally"; rejection: RowRejection }
  | { type: "events_answered"; answers: readonly { answer: EventAnswer; rows: readonly number[] }[] };

export const localExampleLimit = 20;
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
    case "events_answered": {
      let current = { ...tally, eventsSent: tally.eventsSent + happening.answers.length };
      for (const { answer, rows } of happening.answers) current = answered(current, answer, rows);
      return current;
    }
    default: {
      const unhandled: never = happening;
      return unhandled;
    }
  }
}

function answered(tally: ImportTally, answer: EventAnswer, rows: readonly number[]): ImportTally {
  switch (answer.status) {
    case "accepted":
      return { ...tally, accepted: tally.accepted + 1 };
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

/** 0 when every row got in, 2 when some were rejected (here or by ingestion). */
export function exitCodeOf(tally: ImportTally): 0 | 2 {
  return tally.rejectedLocally + tally.rejectedByIngestion === 0 ? 0 : 2;
}
