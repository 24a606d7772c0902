import { describe, expect, it } from "vitest";
import { eventsOf, mapCsv, rejectionsOf } from "./import-fixture.js";

const orderHeader = ["order_id", "customer_number", "email", "time", "amount", "currency", "sales_channel"];

describe("orders: one row, one order", () => {
  it("makes an OrderPlaced event with a deterministic id, identifiers and the total in minor units", () => {
    const outputs = mapCsv(
      "orders",
      orderHeader,
      [["A-1", "C-7", "Ji@Example.com", "2024-03-01 10:15", "1,234.50", "eur", "web"]],
      {
        settings: { timeZone: "Europe/Berlin" },
      },
    );
    expect(outputs).toEqual([
      {
        kind: "event",
        event: {
          specversion: "1.0",
          id: "order-A-1",
          type: "crm.v1.OrderPlaced",
          time: "2024-03-01T10:15:00+01:00",
          datacontenttype: "application/json",
          data: {
            customer: {
              identifiers: [
                { type: "customer_number", value: "C-7" },
                { type: "email", value: "ji@example.com" },
              ],
            },
            orderId: "A-1",
            total: { amountMinor: 123450, currency: "EUR" },
            salesChannel: "web",
          },
        },
        origin: [{ row: 2, record: expect.objectContaining({ order_id: "A-1" }) }],
        warnings: [],
      },
    ]);
  });

  it("sends an order without a malformed phone while the email still names the customer", () => {
    const outputs = mapCsv(
      "orders",
      ["order_id", "email", "phone", "time", "amount", "currency"],
      [
        ["A-1", "ji@example.com", "12-34", "2024-03-01", "10", "EUR"],
        ["A-2", "", "12-34", "2024-03-01", "10", "EUR"],
      ],
    );
    expect(eventsOf(outputs)).toMatchObject([
      { id: "order-A-1", data: { customer: { identifiers: [{ type: "email", value: "ji@example.com" }] } } },
    ]);
    expect(outputs.flatMap((output) => (output.kind === "event" ? output.warnings : []))).toEqual([
      {
        row: 2,
        field: "phone",
        value: "12-34",
        reason: "invalid_identifier",
        detail: expect.stringContaining('phone "12-34" is not a valid phone number'),
      },
    ]);
    expect(rejectionsOf(outputs)).toEqual([
      {
        row: 3,
        reason: "missing_identifier",
        detail: expect.stringMatching(
          /^the row names no customer by a valid identifier; phone: phone "12-34"/,
        ),
      },
    ]);
  });

  it("converts with each currency's minor unit: KRW has none, BHD has three", () => {
    const events = eventsOf(
      mapCsv("orders", orderHeader, [
        ["K-1", "C-1", "", "2024-03-01", "12,000", "KRW", ""],
        ["B-1", "C-2", "", "2024-03-01", "1.250", "BHD", ""],
      ]),
    );
    expect(events.map((event) => (event.data as { total: unknown }).total)).toEqual([
      { amountMinor: 12000, currency: "KRW" },
      { amountMinor: 1250, currency: "BHD" },
    ]);
  });

  it("uses --currency for rows without one, and reads amount_minor as it is", () => {
    const events = eventsOf(
      mapCsv(
        "orders",
        ["order_id", "phone", "time", "amount_minor"],
        [["P-1", "010-1234-5678", "2024-03-01", "4500"]],
        {
          settings: { defaultCurrency: "KRW" },
        },
      ),
    );
    expect(events[0]?.data).toMatchObject({ total: { amountMinor: 4500, currency: "KRW" } });
  });

  it("rejects rows it cannot map, naming the row and every problem, and maps the rest", () => {
    const outputs = mapCsv("orders", orderHeader, [
      ["", "C-1", "", "2024-03-01", "10", "EUR", ""],
      ["A-2", "", "", "2024-02-30", "19.999", "EUR", ""],
      ["A-3", "C-3", "", "2024-03-01", "10", "EURO", ""],
      ["A-4", "C-4", "", "2024-03-01", "10", "EUR", ""],
    ]);
    expect(rejectionsOf(outputs)).toEqual([
      { row: 2, reason: "missing_field", detail: "order_id is empty" },
      {
        row: 3,
        reason: "missing_identifier",
        detail:
          'the row names no customer: customer_number, email, phone and loyalty_card are all empty; time: "2024-02-30" is not a real date and time; amount: "19.999" has 3 decimals but EUR has 2; amounts are not rounded',
      },
      {
        row: 4,
        reason: "invalid_currency",
        detail: 'currency: currency "EURO" is not an ISO 4217 currency code, e.g. EUR, KRW',
      },
    ]);
    expect(eventsOf(outputs).map((event) => event.id)).toEqual(["order-A-4"]);
  });

  it("refuses an order id seen before, which ingestion would otherwise drop without a word", () => {
    const outputs = mapCsv("orders", orderHeader, [
      ["A-1", "C-1", "", "2024-03-01", "10", "EUR", ""],
      ["A-1", "C-1", "", "2024-03-01", "12", "EUR", ""],
    ]);
    expect(eventsOf(outputs)).toHaveLength(1);
    expect(rejectionsOf(outputs)).toEqual([
      {
        row: 3,
        reason: "duplicate_key",
        detail:
          "order_id A-1 already appeared at row 2; map item columns (product_id, unit_price) to group rows into one order",
      },
    ]);
  });

  it("refuses a negative total", () => {
    const outputs = mapCsv("orders", orderHeader, [["A-1", "C-1", "", "2024-03-01", "-10", "EUR", ""]]);
    expect(rejectionsOf(outputs)[0]?.reason).toBe("invalid_amount");
  });
});

describe("orders with item columns: rows with the same order_id are one order", () => {
  const itemHeader = ["Order", "Customer", "Date", "Currency", "SKU", "Name", "Qty", "Price", "Margin"];
  const map = [
    "order_id=Order,customer_number=Customer,time=Date,currency=Currency",
    "product_id=SKU,product_name=Name,quantity=Qty,unit_price=Price,margin=Margin",
  ];

  it("groups rows wherever they are in the file, totals the items, and adds up margins when every item has one", () => {
    const outputs = mapCsv(
      "orders",
      itemHeader,
      [
        ["O-1", "C-1", "2024-03-01 10:00", "EUR", "SKU-1", "Tea", "2", "4.50", "1.00"],
        ["O-2", "C-2", "2024-03-01 11:00", "KRW", "SKU-9", "Kimchi", "3", "12000", ""],
        ["O-1", "C-1", "2024-03-01 10:00", "EUR", "SKU-2", "Cup", "", "10", "2.50"],
      ],
      { map, settings: { timeZone: "Asia/Seoul" } },
    );
    expect(eventsOf(outputs)).toEqual([
      {
        specversion: "1.0",
        id: "order-O-2",
        type: "crm.v1.OrderPlaced",
        time: "2024-03-01T11:00:00+09:00",
        datacontenttype: "application/json",
        data: {
          customer: { identifiers: [{ type: "customer_number", value: "C-2" }] },
          orderId: "O-2",
          items: [
            {
              productId: "SKU-9",
              productName: "Kimchi",
              quantity: 3,
              unitPrice: { amountMinor: 12000, currency: "KRW" },
            },
          ],
          total: { amountMinor: 36000, currency: "KRW" },
        },
      },
      {
        specversion: "1.0",
        id: "order-O-1",
        type: "crm.v1.OrderPlaced",
        time: "2024-03-01T10:00:00+09:00",
        datacontenttype: "application/json",
        data: {
          customer: { identifiers: [{ type: "customer_number", value: "C-1" }] },
          orderId: "O-1",
          items: [
            {
              productId: "SKU-1",
              productName: "Tea",
              quantity: 2,
              unitPrice: { amountMinor: 450, currency: "EUR" },
              margin: { amountMinor: 100, currency: "EUR" },
            },
            {
              productId: "SKU-2",
              productName: "Cup",
              quantity: 1,
              unitPrice: { amountMinor: 1000, currency: "EUR" },
              margin: { amountMinor: 250, currency: "EUR" },
            },
          ],
          total: { amountMinor: 1900, currency: "EUR" },
          margin: { amountMinor: 350, currency: "EUR" },
        },
      },
    ]);
    expect(
      outputs.flatMap((output) => (output.kind === "event" ? [output.origin.map(({ row }) => row)] : [])),
    ).toEqual([[3], [2, 4]]);
  });

  it("takes the total from the amount column when the file has one", () => {
    const header = ["order_id", "email", "time", "currency", "amount", "product_id", "unit_price"];
    const events = eventsOf(
      mapCsv("orders", header, [
        ["O-1", "a@example.com", "2024-03-01", "EUR", "17.00", "SKU-1", "10"],
        ["O-1", "a@example.com", "2024-03-01", "EUR", "17.00", "SKU-2", "9"],
      ]),
    );
    expect(events[0]?.data).toMatchObject({ total: { amountMinor: 1700, currency: "EUR" } });
  });

  it("holds back the whole order when one of its rows is rejected, since its id can be appended only once", () => {
    const outputs = mapCsv(
      "orders",
      itemHeader,
      [
        ["O-1", "C-1", "2024-03-01", "EUR", "SKU-1", "Tea", "2", "4.50", ""],
        ["O-1", "C-1", "2024-03-01", "EUR", "SKU-2", "Cup", "0", "10", ""],
        ["O-2", "C-2", "2024-03-01", "EUR", "SKU-1", "Tea", "1", "4.50", ""],
      ],
      { map },
    );
    expect(eventsOf(outputs).map((event) => event.id)).toEqual(["order-O-2"]);
    expect(rejectionsOf(outputs)).toEqual([
      {
        row: 2,
        reason: "order_incomplete",
        detail: "order O-1 is not sent because its row 3 was rejected; an order is sent whole or not at all",
      },
      { row: 3, reason: "invalid_quantity", detail: 'quantity: "0" is not a whole number of at least 1' },
    ]);
  });

  it("rejects an order whose rows disagree on who ordered, when or in what currency", () => {
    const outputs = mapCsv(
      "orders",
      itemHeader,
      [
        ["O-1", "C-1", "2024-03-01", "EUR", "SKU-1", "Tea", "1", "4.50", ""],
        ["O-1", "C-1", "2024-03-02", "EUR", "SKU-2", "Cup", "1", "10", ""],
      ],
      { map },
    );
    expect(rejectionsOf(outputs)).toEqual(
      [2, 3].map((row) => ({
        row,
        reason: "inconsistent_order",
        detail:
          'the rows of order O-1 disagree on time: "2024-03-01T00:00:00+00:00" at row 2, "2024-03-02T00:00:00+00:00" at row 3',
      })),
    );
  });
});
