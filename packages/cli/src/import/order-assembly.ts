import type { MappedOutput } from "./mapped-output.js";
import type { OrderHeader, OrderLine, OrderLineResult } from "./order-line.js";
import { orderPlacedEvent } from "./order-placed-event.js";
import type { RowRejection } from "./row-rejection.js";

/**
 * When an order has all its rows. Without item columns every row is a whole order. With them, rows
 * of one order may be anywhere in the file, so a first pass notes each order's last row and the
 * order is complete there: memory holds the open orders, not the file.
 */
export type OrderCompletion =
  | { kind: "row_is_order" }
  | { kind: "complete_at_last_row"; lastRowOf: ReadonlyMap<string, number> };

type OpenOrder = { orderId: string; lines: OrderLine[]; rejections: RowRejection[] };

// Compared across the rows of one order, in the order a mismatch is reported.
const headerFields = ["customer", "time", "currency", "total", "margin", "salesChannel", "storeId"] as const;

/**
 * Groups order rows into OrderPlaced events. An order is sent whole or not at all: because its id
 * is appended once, sending it without a rejected row would keep the fixed row out for good.
 */
export function createOrderAssembler(completion: OrderCompletion) {
  const open = new Map<string, OpenOrder>();
  // Without items, a repeated order id would be silently dropped by ingestion; say so instead.
  const firstRowOf = new Map<string, number>();

  function add(result: OrderLineResult): MappedOutput[] {
    const orderId = result.ok ? result.line.orderId : result.orderId;
    const row = result.ok ? result.line.row : result.rejection.row;
    if (orderId === undefined) return result.ok ? [] : [{ kind: "rejected", rejection: result.rejection }];
    if (completion.kind === "row_is_order") {
      const firstRow = firstRowOf.get(orderId);
      if (firstRow !== undefined) return [duplicate(result, orderId, firstRow)];
      firstRowOf.set(orderId, row);
    }
    const order = open.get(orderId) ?? { orderId, lines: [], rejections: [] };
    if (result.ok) order.lines.push(result.line);
    else order.rejections.push(result.rejection);
    const lastRow = completion.kind === "complete_at_last_row" ? completion.lastRowOf.get(orderId) : row;
    if (lastRow !== undefined && lastRow > row) {
      open.set(orderId, order);
      return [];
    }
    open.delete(orderId);
    return close(order);
  }

  /** Orders still open at the end of the file (none when the first pass saw the same file). */
  function finish(): MappedOutput[] {
    const orders = [...open.values()];
    open.clear();
    return orders.flatMap(close);
  }

  return { add, finish };
}

function close(order: OpenOrder): MappedOutput[] {
  if (order.rejections.length > 0) {
    const [first] = order.rejections;
    const heldBack = order.lines.map(
      (line): RowRejection => ({
        row: line.row,
        reason: "order_incomplete",
        detail: `order ${order.orderId} is not sent because its row ${first?.row} was rejected; an order is sent whole or not at all`,
        record: line.record,
      }),
    );
    return rejectedAll([...order.rejections, ...heldBack]);
  }
  const [firstLine, ...otherLines] = order.lines;
  if (!firstLine) return [];
  const mismatch = headerMismatch(firstLine, otherLines);
  if (mismatch) return rejectedAll(order.lines.map((line) => ({ ...rowOf(line), ...mismatch })));
  const event = orderPlacedEvent([firstLine, ...otherLines]);
  if (!event.ok) {
    return rejectedAll(
      order.lines.map((line) => ({
        ...rowOf(line),
        reason: "invalid_amount" as const,
        detail: event.detail,
      })),
    );
  }
  return [
    {
      kind: "event",
      event: event.value,
      origin: order.lines.map((line) => ({ row: line.row, record: line.record })),
      warnings: order.lines.flatMap((line) => line.warnings),
    },
  ];
}

function headerMismatch(first: OrderLine, others: readonly OrderLine[]) {
  for (const other of others) {
    for (const field of headerFields) {
      const expected = describe(first.header, field);
      const actual = describe(other.header, field);
      if (expected !== actual) {
        return {
          reason: "inconsistent_order" as const,
          detail: `the rows of order ${first.orderId} disagree on ${field}: ${expected} at row ${first.row}, ${actual} at row ${other.row}`,
        };
      }
    }
  }
  return undefined;
}

function describe(header: OrderHeader, field: (typeof headerFields)[number]): string {
  const value = header[field];
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function duplicate(result: OrderLineResult, orderId: string, firstRow: number): MappedOutput {
  const { row, record } = result.ok ? result.line : result.rejection;
  return {
    kind: "rejected",
    rejection: {
      row,
      reason: "duplicate_key",
      detail: `order_id ${orderId} already appeared at row ${firstRow}; map item columns (product_id, unit_price) to group rows into one order`,
      record,
    },
  };
}

function rowOf(line: OrderLine) {
  return { row: line.row, record: line.record };
}

function rejectedAll(rejections: readonly RowRejection[]): MappedOutput[] {
  return [...rejections].sort((a, b) => a.row - b.row).map((rejection) => ({ kind: "rejected", rejection }));
}
