import type { CloudEventJson } from "./mapped-output.js";
import { type Money, multiplyMoney, sumMoney } from "./money.js";
import type { OrderLine } from "./order-line.js";
import { type Parsed, parsedValue } from "./parsed.js";

/** The id an order has upstream of ingestion: the same file imported twice appends the order once. */
export function orderEventId(orderId: string): string {
  return `order-${orderId}`;
}

/**
 * The crm.v1.OrderPlaced event of one order's rows (one row when the file has no item columns).
 * The rows agree on the header; the total is the file's amount when it has one, else what the
 * items add up to, and the order's margin is the lines' margins added up when every line has one.
 */
export function orderPlacedEvent(lines: readonly [OrderLine, ...OrderLine[]]): Parsed<CloudEventJson> {
  const [{ orderId, header }] = lines;
  const items = lines.flatMap((line) => (line.item ? [line.item] : []));
  const hasItems = items.length > 0;
  let total: Money;
  if (header.total) {
    total = header.total;
  } else {
    const lineTotals: Money[] = [];
    for (const item of items) {
      const lineTotal = multiplyMoney(item.unitPrice, item.quantity);
      if (!lineTotal.ok) return lineTotal;
      lineTotals.push(lineTotal.value);
    }
    const sum = sumMoney(lineTotals, header.currency);
    if (!sum.ok) return sum;
    total = sum.value;
  }
  const lineMargins = items.flatMap((item) => (item.margin ? [item.margin] : []));
  const itemsMargin =
    hasItems && lineMargins.length === items.length ? sumMoney(lineMargins, header.currency) : undefined;
  if (itemsMargin && !itemsMargin.ok) return itemsMargin;
  const margin = header.margin ?? itemsMargin?.value;
  return parsedValue({
    specversion: "1.0",
    id: orderEventId(orderId),
    type: "crm.v1.OrderPlaced",
    time: header.time,
    datacontenttype: "application/json",
    data: {
      customer: header.customer,
      orderId,
      ...(hasItems && { items }),
      total,
      ...(margin && { margin }),
      ...(header.salesChannel !== undefined && { salesChannel: header.salesChannel }),
      ...(header.storeId !== undefined && { storeId: header.storeId }),
    },
  });
}
