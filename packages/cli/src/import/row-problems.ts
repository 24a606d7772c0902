import type { Parsed } from "./parsed.js";
import type { LocalRejectionReason, RowRejection } from "./row-rejection.js";

type RowProblem = { reason: LocalRejectionReason; detail: string };

/**
 * Collects what is wrong with a row, so one rejection names every problem at once rather than
 * making people fix a file one error per run.
 */
export function createRowProblems() {
  const problems: RowProblem[] = [];
  return {
    /** Notes a problem; returns undefined so it can stand where the missing value would. */
    add(reason: LocalRejectionReason, detail: string): undefined {
      problems.push({ reason, detail });
      return undefined;
    },
    /** The parsed value, or undefined after noting the problem under the field's name. */
    take<T>(field: string, reason: LocalRejectionReason, parsed: Parsed<T>): T | undefined {
      if (parsed.ok) return parsed.value;
      problems.push({ reason, detail: `${field}: ${parsed.detail}` });
      return undefined;
    },
    get isEmpty(): boolean {
      return problems.length === 0;
    },
    /** The rejection of the row; its reason is the first problem's. */
    rejection(row: number, record: unknown): RowRejection {
      const [first] = problems;
      return {
        row,
        reason: first?.reason ?? "unparseable",
        detail: problems.map((problem) => problem.detail).join("; "),
        record,
      };
    },
  };
}
