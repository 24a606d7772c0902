import type { ColumnPlan } from "./column-plan.js";
import { identifiersOf, traitsOf, withoutAbsent } from "./customer-reference.js";
import { parseEventTime } from "./event-time.js";
import type { ImportSettings } from "./import-settings.js";
import type { CloudEventJson, MappedOutput } from "./mapped-output.js";
import { createRowProblems } from "./row-problems.js";
import { cellReader } from "./source-record.js";

export type CustomerColumns = { columns: ColumnPlan; settings: ImportSettings };

/** The id a registration has upstream of ingestion: a customer registers once, however often imported. */
export function customerEventId(customerNumber: string): string {
  return `customer-${customerNumber}`;
}

/** Reads one row of a customers file as a crm.v1.CustomerRegistered event. */
export function customerRegisteredEvent(
  row: number,
  cells: Readonly<Record<string, string>>,
  plan: CustomerColumns,
): { ok: true; customerNumber: string; event: CloudEventJson } | { ok: false; rejection: MappedOutput } {
  const cell = cellReader(cells, plan.columns);
  const problems = createRowProblems();
  const customerNumber = cell("customer_number");
  if (customerNumber === undefined) {
    problems.add("missing_identifier", "customer_number is empty; a registration is keyed by it");
  }
  const timeText = cell("time");
  const time =
    timeText === undefined
      ? (plan.settings.registeredAt ??
        problems.add("missing_field", "time is empty and no --registered-at was given"))
      : problems.take("time", "invalid_time", parseEventTime(timeText, plan.settings.timeZone));
  const traits = problems.take("birth_date", "invalid_date", traitsOf(cell));
  if (!problems.isEmpty || customerNumber === undefined || time === undefined) {
    return { ok: false, rejection: { kind: "rejected", rejection: problems.rejection(row, cells) } };
  }
  const registrationChannel = cell("registration_channel");
  return {
    ok: true,
    customerNumber,
    event: {
      specversion: "1.0",
      id: customerEventId(customerNumber),
      type: "crm.v1.CustomerRegistered",
      time,
      datacontenttype: "application/json",
      data: {
        customer: { identifiers: identifiersOf(cell), ...withoutAbsent({ traits }) },
        ...withoutAbsent({ registrationChannel }),
      },
    },
  };
}

/** Maps customer rows, refusing a customer number the file already registered (ingestion would drop it unseen). */
export function createCustomerMapper(plan: CustomerColumns) {
  const firstRowOf = new Map<string, number>();
  return {
    add(row: number, cells: Readonly<Record<string, string>>): MappedOutput {
      const mapped = customerRegisteredEvent(row, cells, plan);
      if (!mapped.ok) return mapped.rejection;
      const firstRow = firstRowOf.get(mapped.customerNumber);
      if (firstRow !== undefined) {
        return {
          kind: "rejected",
          rejection: {
            row,
            reason: "duplicate_key",
            detail: `customer_number ${mapped.customerNumber} already appeared at row ${firstRow}; a customer registers once`,
            record: cells,
          },
        };
      }
      firstRowOf.set(mapped.customerNumber, row);
      return { kind: "event", event: mapped.event, origin: [{ row, record: cells }] };
    },
  };
}
