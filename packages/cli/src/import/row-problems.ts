import type { ImportField } from "./import-kind.js";
import type { Parsed } from "./parsed.js";
import type { LocalRejectionReason, RowRejection } from "./row-rejection.js";
import type { RowWarning, WarningReason } from "./row-warning.js";

type RowProblem = { reason: LocalRejectionReason; detail: string };
type DroppedField = { field: ImportField; value: string; reason: WarningReason; detail: string };

/**
 * Collects what is wrong with a row, so one rejection names every problem at once rather than
 * making people fix a file one error per run. A problem refuses the row; a dropped field does not:
 * the row is imported without it, and the drop is reported as a warning.
 */
export function createRowProblems() {
  const problems: RowProblem[] = [];
  const dropped: DroppedField[] = [];
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
    /** The parsed value of an optional field, or undefined after noting that the field is dropped. */
    optional<T>(field: ImportField, value: string, reason: WarningReason, parsed: Parsed<T>): T | undefined {
      if (parsed.ok) return parsed.value;
      dropped.push({ field, value, reason, detail: parsed.detail });
      return undefined;
    },
    get isEmpty(): boolean {
      return problems.length === 0;
    },
    /** The fields dropped from the row, as warnings of an imported row. */
    warnings(row: number): RowWarning[] {
      return dropped.map((field) => ({ row, ...field }));
    },
    /**
     * The rejection of the row; its reason is the first problem's. The dropped fields are named
     * too, so that the row is fixed whole before it is imported again.
     */
    rejection(row: number, record: unknown): RowRejection {
      const [first] = problems;
      const details = [
        ...problems.map((problem) => problem.detail),
        ...dropped.map(({ field, detail }) => `${field}: ${detail}`),
      ];
      return { row, reason: first?.reason ?? "unparseable", detail: details.join("; "), record };
    },
  };
}

export type RowProblems = ReturnType<typeof createRowProblems>;
