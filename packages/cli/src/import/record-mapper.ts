import { createCustomerMapper } from "./customer-registration.js";
import type { ImportPlan } from "./import-plan.js";
import type { MappedOutput } from "./mapped-output.js";
import { createOrderAssembler, type OrderCompletion } from "./order-assembly.js";
import { orderLineOf } from "./order-line.js";
import { cellReader, rawRecordOf, type SourceRecord } from "./source-record.js";

/** Turns the records of a file, in order, into events to send and rows not sent. */
export type RecordMapper = {
  add(record: SourceRecord): MappedOutput[];
  /** What is left at the end of the file. */
  finish(): MappedOutput[];
};

export function createRecordMapper(plan: ImportPlan, completion: OrderCompletion): RecordMapper {
  const mapCells = cellMapperOf(plan, completion);
  return {
    add(record) {
      switch (record.kind) {
        case "cells":
          return mapCells.add(record.row, record.cells);
        case "cloud_event":
          return [
            {
              kind: "event",
              event: record.event,
              origin: [{ row: record.row, record: record.event }],
              warnings: [],
            },
          ];
        case "unreadable":
          return [
            {
              kind: "rejected",
              rejection: {
                row: record.row,
                reason: "unparseable",
                detail: record.detail,
                record: rawRecordOf(record),
              },
            },
          ];
        default: {
          const unhandled: never = record;
          return unhandled;
        }
      }
    },
    finish: () => mapCells.finish(),
  };
}

function cellMapperOf(plan: ImportPlan, completion: OrderCompletion) {
  switch (plan.kind) {
    case "orders": {
      const assembler = createOrderAssembler(completion);
      return {
        add: (row: number, cells: Readonly<Record<string, string>>) =>
          assembler.add(orderLineOf(row, cells, plan.orders)),
        finish: () => assembler.finish(),
      };
    }
    case "customers": {
      const customers = createCustomerMapper(plan.customers);
      return {
        add: (row: number, cells: Readonly<Record<string, string>>) => [customers.add(row, cells)],
        finish: (): MappedOutput[] => [],
      };
    }
    default: {
      const unhandled: never = plan;
      return unhandled;
    }
  }
}

/** Whether orders must be grouped across the file, which needs a first pass noting each order's last row. */
export function needsOrderIndex(plan: ImportPlan): boolean {
  return plan.kind === "orders" && plan.orders.hasItems;
}

/** Notes a record's row as the last one seen of its order (the first pass of a grouped orders import). */
export function noteOrderRow(lastRowOf: Map<string, number>, record: SourceRecord, plan: ImportPlan): void {
  if (plan.kind !== "orders" || record.kind !== "cells") return;
  const orderId = cellReader(record.cells, plan.orders.columns)("order_id");
  if (orderId !== undefined) lastRowOf.set(orderId, record.row);
}
