import type { Identifier } from "@rapport/events";
import type { ColumnPlan } from "./column-plan.js";
import { identifiersOf } from "./customer-reference.js";
import { parseEventTime } from "./event-time.js";
import type { ImportSettings } from "./import-settings.js";
import { type Money, parseCurrency, parseMajorAmount, parseMinorAmount } from "./money.js";
import { type Parsed, parsedValue, parseProblem } from "./parsed.js";
import { createRowProblems, type RowProblems } from "./row-problems.js";
import type { RowRejection } from "./row-rejection.js";
import type { RowWarning } from "./row-warning.js";
import { type CellReader, cellReader } from "./source-record.js";

/** What every row of an order must say alike: who ordered, when, in what currency, for how much. */
export type OrderHeader = {
  customer: { identifiers: Identifier[] };
  time: string;
  currency: string;
  /** From the amount (or amount_minor) column; without one the items' sum is the total. */
  total?: Money;
  /** The order's margin when rows are whole orders; with items, margin belongs to the line. */
  margin?: Money;
  salesChannel?: string;
  storeId?: string;
};

export type LineItem = {
  productId: string;
  productName?: string;
  category?: string;
  quantity: number;
  unitPrice: Money;
  margin?: Money;
};

/** One row of an orders file: a whole order, or one item of it when the file has item columns. */
export type OrderLine = {
  row: number;
  record: unknown;
  orderId: string;
  header: OrderHeader;
  item?: LineItem;
  /** Identifiers of the row left out of the order because they are no good. */
  warnings: readonly RowWarning[];
};

export type OrderLineResult =
  | { ok: true; line: OrderLine }
  /** The order id, when the row has one, lets the rest of that order be held back too. */
  | { ok: false; orderId: string | undefined; rejection: RowRejection };

export type OrderColumns = { columns: ColumnPlan; hasItems: boolean; settings: ImportSettings };

/** Reads one row of an orders file. */
export function orderLineOf(
  row: number,
  cells: Readonly<Record<string, string>>,
  plan: OrderColumns,
): OrderLineResult {
  const cell = cellReader(cells, plan.columns);
  const problems = createRowProblems();
  const orderId = cell("order_id");
  if (orderId === undefined) problems.add("missing_field", "order_id is empty");
  const identifiers = identifiersOf(cell, plan.settings.identifierRules, problems);
  const timeText = cell("time");
  const time =
    timeText === undefined
      ? problems.add("missing_field", "time is empty")
      : problems.take("time", "invalid_time", parseEventTime(timeText, plan.settings.timeZone));
  const currencyText = cell("currency") ?? plan.settings.defaultCurrency;
  const currency =
    currencyText === undefined
      ? problems.add("missing_field", "currency is empty and no --currency was given")
      : problems.take("currency", "invalid_currency", parseCurrency(currencyText));

  let total: Money | undefined;
  let margin: Money | undefined;
  let item: LineItem | undefined;
  if (currency !== undefined) {
    total = totalOf(cell, plan, currency, problems);
    const marginText = cell("margin");
    margin =
      marginText === undefined
        ? undefined
        : moneyOf(
            problems.take("margin", "invalid_amount", parseMajorAmount(marginText, currency)),
            currency,
          );
    if (plan.hasItems) item = itemOf(cell, currency, margin, problems);
  }
  if (!problems.isEmpty || orderId === undefined || time === undefined || currency === undefined) {
    return { ok: false, orderId, rejection: problems.rejection(row, cells) };
  }
  const header: OrderHeader = {
    customer: { identifiers },
    time,
    currency,
    ...(total && { total }),
    ...(margin && !plan.hasItems && { margin }),
    ...optionalText("salesChannel", cell("sales_channel")),
    ...optionalText("storeId", cell("store_id")),
  };
  return {
    ok: true,
    line: { row, record: cells, orderId, header, ...(item && { item }), warnings: problems.warnings(row) },
  };
}

function totalOf(cell: CellReader, plan: OrderColumns, currency: string, problems: RowProblems) {
  const amount = cell("amount");
  const amountMinor = cell("amount_minor");
  if (amount !== undefined) {
    return moneyOf(
      problems.take("amount", "invalid_amount", nonNegative(amount, parseMajorAmount(amount, currency))),
      currency,
    );
  }
  if (amountMinor !== undefined) {
    return moneyOf(
      problems.take(
        "amount_minor",
        "invalid_amount",
        nonNegative(amountMinor, parseMinorAmount(amountMinor)),
      ),
      currency,
    );
  }
  if (plan.columns.isPresent("amount") || plan.columns.isPresent("amount_minor")) {
    problems.add("missing_field", "the order total (amount) is empty");
  }
  return undefined;
}

function itemOf(cell: CellReader, currency: string, margin: Money | undefined, problems: RowProblems) {
  const productId = cell("product_id");
  if (productId === undefined) problems.add("missing_field", "product_id is empty");
  const quantityText = cell("quantity");
  // A file without a quantity column lists one unit per row.
  const quantity =
    quantityText === undefined
      ? 1
      : problems.take("quantity", "invalid_quantity", parseQuantity(quantityText));
  const priceText = cell("unit_price");
  const unitPrice =
    priceText === undefined
      ? problems.add("missing_field", "unit_price is empty")
      : moneyOf(
          problems.take(
            "unit_price",
            "invalid_amount",
            nonNegative(priceText, parseMajorAmount(priceText, currency)),
          ),
          currency,
        );
  if (productId === undefined || quantity === undefined || unitPrice === undefined) return undefined;
  return {
    productId,
    ...optionalText("productName", cell("product_name")),
    ...optionalText("category", cell("category")),
    quantity,
    unitPrice,
    ...(margin && { margin }),
  };
}

function parseQuantity(text: string): Parsed<number> {
  const quantity = Number(text);
  return /^\d+$/.test(text) && quantity >= 1 && quantity <= 2_147_483_647
    ? parsedValue(quantity)
    : parseProblem(`"${text}" is not a whole number of at least 1`);
}

function nonNegative(text: string, parsed: Parsed<number>): Parsed<number> {
  return parsed.ok && parsed.value < 0
    ? parseProblem(`"${text}" is negative; an order cannot cost less than nothing`)
    : parsed;
}

function moneyOf(amountMinor: number | undefined, currency: string): Money | undefined {
  return amountMinor === undefined ? undefined : { amountMinor, currency };
}

function optionalText<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
