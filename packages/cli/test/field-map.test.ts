import { describe, expect, it } from "vitest";
import { parseFieldMap, planColumns, planImport } from "../src/index.js";

describe("--map says which column holds which field", () => {
  it("reads field=column pairs, columns with spaces included, from one or several --map options", () => {
    const parsed = parseFieldMap(["order_id=Order No, time=Order Date", "email=E-Mail"], "orders");
    expect(parsed.ok && [...parsed.value]).toEqual([
      ["order_id", "Order No"],
      ["time", "Order Date"],
      ["email", "E-Mail"],
    ]);
  });

  it("names the valid fields when a field is unknown", () => {
    expect(parseFieldMap(["order_no=Order No"], "orders")).toEqual({
      ok: false,
      detail:
        '--map: "order_no" is not a field of orders; the fields are customer_number, email, phone, loyalty_card, order_id, time, amount, amount_minor, currency, sales_channel, store_id, product_id, product_name, category, quantity, unit_price, margin',
    });
    expect(parseFieldMap(["amount=Total"], "customers")).toMatchObject({
      ok: false,
      detail: expect.stringContaining(
        "the fields are customer_number, email, phone, loyalty_card, source_record_id, first_name",
      ),
    });
  });

  it("refuses a pair without a column, and a field mapped twice", () => {
    expect(parseFieldMap(["order_id"], "orders")).toEqual({
      ok: false,
      detail: '--map: "order_id" is not field=column, e.g. order_id=Order ID',
    });
    expect(parseFieldMap(["time="], "orders").ok).toBe(false);
    expect(parseFieldMap(["time=A,time=B"], "orders")).toEqual({
      ok: false,
      detail: '--map: time is mapped twice (to "A" and "B")',
    });
  });

  it("reads unmapped fields from a column of the same name, and refuses mapped columns the header lacks", () => {
    const fieldMap = parseFieldMap(["order_id=Order No"], "orders");
    if (!fieldMap.ok) throw new Error(fieldMap.detail);
    const plan = planColumns("orders", fieldMap.value, {
      kind: "header",
      names: ["Order No", "email", "time"],
    });
    expect(
      plan.ok && ["order_id", "email", "phone"].map((field) => plan.value.columnOf(field as "email")),
    ).toEqual(["Order No", "email", undefined]);
    expect(planColumns("orders", fieldMap.value, { kind: "header", names: ["order_id"] })).toEqual({
      ok: false,
      detail: `--map names a column the file does not have: "Order No" (for order_id); its columns are "order_id"`,
    });
  });
});

describe("an import is planned before the first row is read", () => {
  const settings = { timeZone: "UTC", identifierRules: { defaultPhoneRegion: "KR" as const } };

  it("lists everything an orders file lacks, with its header", () => {
    const plan = planImport("orders", new Map(), { kind: "header", names: ["id", "when"] }, settings);
    expect(plan).toEqual({
      ok: false,
      detail: [
        "the file cannot be imported as orders:",
        "  - no order_id column",
        "  - no customer column: one of customer_number, email, phone, loyalty_card",
        "  - no time column (the order date)",
        "  - no currency column and no --currency",
        "  - no amount (or amount_minor) column, and no item columns (product_id, unit_price) to add up",
        '(its header has "id", "when"; use --map field=column)',
      ].join("\n"),
    });
  });

  it("takes --currency and --registered-at for missing columns", () => {
    const orders = ["order_id", "email", "time", "amount"];
    expect(planImport("orders", new Map(), { kind: "header", names: orders }, settings).ok).toBe(false);
    expect(
      planImport(
        "orders",
        new Map(),
        { kind: "header", names: orders },
        { ...settings, defaultCurrency: "EUR" },
      ).ok,
    ).toBe(true);
    const customers = { kind: "header", names: ["customer_number"] } as const;
    expect(planImport("customers", new Map(), customers, settings)).toMatchObject({
      ok: false,
      detail: expect.stringContaining("no time column (registration time) and no --registered-at"),
    });
    expect(
      planImport("customers", new Map(), customers, { ...settings, registeredAt: "2020-01-01T00:00:00Z" }).ok,
    ).toBe(true);
  });

  it("plans customers keyed by any identifier column, but not by a source record id alone", () => {
    const registeredAt = { ...settings, registeredAt: "2020-01-01T00:00:00Z" };
    const withNames = (names: string[]) => ({ kind: "header", names }) as const;
    expect(planImport("customers", new Map(), withNames(["email"]), registeredAt).ok).toBe(true);
    expect(planImport("customers", new Map(), withNames(["record", "phone"]), registeredAt).ok).toBe(true);
    expect(
      planImport("customers", new Map([["source_record_id", "record"]]), withNames(["record"]), registeredAt),
    ).toMatchObject({
      ok: false,
      detail: expect.stringContaining(
        "  - no identifier column: one of customer_number, email, phone, loyalty_card\n",
      ),
    });
  });

  it("groups rows into items when the file has product_id, which then needs unit_price", () => {
    const names = ["order_id", "email", "time", "currency", "product_id"];
    expect(planImport("orders", new Map(), { kind: "header", names }, settings)).toMatchObject({
      ok: false,
      detail: expect.stringContaining("item columns need unit_price as well as product_id"),
    });
    const plan = planImport(
      "orders",
      new Map(),
      { kind: "header", names: [...names, "unit_price"] },
      settings,
    );
    expect(plan.ok && plan.value.kind === "orders" && plan.value.orders.hasItems).toBe(true);
  });

  it("checks nothing in an NDJSON file of CloudEvents only", () => {
    expect(planImport("orders", new Map(), { kind: "sample", names: [] }, settings).ok).toBe(true);
  });
});
