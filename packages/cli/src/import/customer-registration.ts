import { type IdentifierType, identifierTypesStrongestFirst } from "@rapport/events";
import type { ColumnPlan } from "./column-plan.js";
import { identifiersOf, limitedText, traitsOf, withoutAbsent } from "./customer-reference.js";
import { parseEventTime } from "./event-time.js";
import { maxLengthOf } from "./field-limits.js";
import type { ImportSettings } from "./import-settings.js";
import type { CloudEventJson, MappedOutput } from "./mapped-output.js";
import { createRowProblems } from "./row-problems.js";
import type { RowWarning } from "./row-warning.js";
import { cellReader } from "./source-record.js";

export type CustomerColumns = { columns: ColumnPlan; settings: ImportSettings };

/**
 * What makes a row one registration, however often the file is imported: the upstream system's
 * record id when the file has one, else the row's strongest identifier (the order identity names
 * source records by).
 */
export type RegistrationKey = { field: "source_record_id" | IdentifierType; value: string };

/**
 * The id a registration has upstream of ingestion: a customer registers once, however often
 * imported. A customer number keeps the id it has always had, so files imported before still
 * append nothing new.
 */
export function customerEventId({ field, value }: RegistrationKey): string {
  return field === "customer_number" ? `customer-${value}` : `customer-${field}:${value}`;
}

// Ingestion takes CloudEvent ids of at most 256 characters; a longer record id cannot key a row.
const maxRecordIdLength = 256 - customerEventId({ field: "source_record_id", value: "" }).length;

/** Reads one row of a customers file as a crm.v1.CustomerRegistered event. */
export function customerRegisteredEvent(
  row: number,
  cells: Readonly<Record<string, string>>,
  plan: CustomerColumns,
):
  | { ok: true; key: RegistrationKey; event: CloudEventJson; warnings: RowWarning[] }
  | { ok: false; rejection: MappedOutput } {
  const cell = cellReader(cells, plan.columns);
  const problems = createRowProblems();
  const identifiers = identifiersOf(cell, plan.settings.identifierRules, problems);
  const timeText = cell("time");
  const time =
    timeText === undefined
      ? (plan.settings.registeredAt ??
        problems.add("missing_field", "time is empty and no --registered-at was given"))
      : problems.take("time", "invalid_time", parseEventTime(timeText, plan.settings.timeZone));
  const traits = traitsOf(cell, problems);
  const registrationChannel = limitedText(
    cell,
    problems,
    "registration_channel",
    maxLengthOf.registration_channel,
  );
  const recordId = limitedText(cell, problems, "source_record_id", maxRecordIdLength);
  const strongest = identifierTypesStrongestFirst
    .map((type) => identifiers.find((identifier) => identifier.type === type))
    .find((identifier) => identifier !== undefined);
  if (!problems.isEmpty || strongest === undefined || time === undefined) {
    return { ok: false, rejection: { kind: "rejected", rejection: problems.rejection(row, cells) } };
  }
  const key: RegistrationKey =
    recordId === undefined
      ? { field: strongest.type, value: strongest.value }
      : { field: "source_record_id", value: recordId };
  return {
    ok: true,
    key,
    warnings: problems.warnings(row),
    event: {
      specversion: "1.0",
      id: customerEventId(key),
      type: "crm.v1.CustomerRegistered",
      time,
      datacontenttype: "application/json",
      data: {
        customer: { identifiers, ...withoutAbsent({ traits }) },
        ...withoutAbsent({ registrationChannel }),
      },
    },
  };
}

/** Maps customer rows, refusing a key the file already registered (ingestion would drop it unseen). */
export function createCustomerMapper(plan: CustomerColumns) {
  const firstRowOf = new Map<string, number>();
  return {
    add(row: number, cells: Readonly<Record<string, string>>): MappedOutput {
      const mapped = customerRegisteredEvent(row, cells, plan);
      if (!mapped.ok) return mapped.rejection;
      const id = customerEventId(mapped.key);
      const firstRow = firstRowOf.get(id);
      if (firstRow !== undefined) {
        return {
          kind: "rejected",
          rejection: {
            row,
            reason: "duplicate_key",
            detail: `${mapped.key.field} ${mapped.key.value} already appeared at row ${firstRow}; a customer registers once`,
            record: cells,
          },
        };
      }
      firstRowOf.set(id, row);
      return {
        kind: "event",
        event: mapped.event,
        origin: [{ row, record: cells }],
        warnings: mapped.warnings,
      };
    },
  };
}
