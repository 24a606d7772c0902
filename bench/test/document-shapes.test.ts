import { describe, expect, it } from "vitest";
import { customerDocument, revisedCustomer } from "../document-store/customer-documents.js";
import {
  customerOf,
  customerSizes,
  documentShapes,
  fieldCount,
  jsonTextOf,
  shapeOrder,
  storedAs,
} from "../document-store/document-shapes.js";
import { shapeFigures } from "../document-store/shape-figures.js";

describe("the customers the document shape measurement stores", () => {
  it("are shaped like identity's customers: identifiers by type and a golden record with lineage", () => {
    const customer = customerDocument(1_234);
    expect(customer).toEqual({
      _id: expect.stringMatching(/^cus_[0-9a-f]{24}$/),
      firstSeen: { time: "2026-01-06T05:34:00.000Z", eventId: "evt-0000ya-0" },
      identifiers: {
        customer_number: ["C-101234"],
        email: [expect.stringMatching(/^[a-z.]+1234@[a-z.]+$/)],
        phone: [expect.stringMatching(/^\+8210\d{8}$/)],
      },
      status: "active",
      goldenRecord: {
        preferences: [],
        firstName: { value: expect.any(String), lineage: { source: "shop", ...customer.firstSeen } },
        lastName: { value: expect.any(String), lineage: { source: "shop", ...customer.firstSeen } },
        email: { value: customer.identifiers.email[0], lineage: expect.objectContaining({ source: "shop" }) },
        phone: {
          value: customer.identifiers.phone[0],
          lineage: { source: "callcenter", eventId: "evt-0000ya-1", time: "2026-01-06T05:34:01.000Z" },
        },
      },
    });
  });

  it("are the same for the same index and never share an _id", () => {
    expect(customerDocument(7)).toEqual(customerDocument(7));
    const ids = Array.from({ length: 5_000 }, (_, index) => customerDocument(index)._id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("are revised by a later call: only the phone's lineage changes", () => {
    const customer = customerDocument(42);
    expect(revisedCustomer(42, 0)).toEqual(customer);
    const revised = revisedCustomer(42, 3);
    expect(revised.goldenRecord.phone).toEqual({
      value: customer.goldenRecord.phone.value,
      lineage: { source: "callcenter", eventId: "evt-000016-4", time: "2026-01-05T09:42:04.000Z" },
    });
    expect({ ...revised, goldenRecord: { ...revised.goldenRecord, phone: null } }).toEqual({
      ...customer,
      goldenRecord: { ...customer.goldenRecord, phone: null },
    });
  });

  it("are 650–850 bytes of JSON, 38 values nested and 3 as one JSON text field", () => {
    const sizes = customerSizes(Array.from({ length: 1_000 }, (_, index) => customerDocument(index)));
    expect(sizes.jsonBytes).toBeGreaterThan(650);
    expect(sizes.jsonBytes).toBeLessThan(850);
    expect(sizes.fields).toEqual({ nested: 38, jsonText: 3 });
    // BSON adds a type byte and a terminator per value: the nested shape is larger for its many values.
    expect(sizes.bsonBytes.nested).toBeGreaterThan(sizes.bsonBytes.jsonText);
  });
});

describe("the document shapes", () => {
  it("keep _id and status beside the rest as one JSON text field, as identity stores customers", () => {
    const customer = customerDocument(5);
    const stored = jsonTextOf(customer);
    expect(Object.keys(stored)).toEqual(["_id", "status", "state"]);
    expect(stored).toMatchObject({ _id: customer._id, status: "active" });
    expect(JSON.parse(stored.state)).toEqual({
      firstSeen: customer.firstSeen,
      identifiers: customer.identifiers,
      goldenRecord: customer.goldenRecord,
    });
    expect(storedAs("nested", customer)).toBe(customer);
  });

  it("read back as the same customer, whichever the shape", () => {
    const customer = customerDocument(9);
    for (const shape of documentShapes) expect(customerOf(storedAs(shape, customer))).toEqual(customer);
    expect(() => customerOf({ _id: "cus_1", status: "active" })).toThrow(/neither a state text/);
    expect(() => customerOf(null)).toThrow(/not a stored customer/);
  });

  it("count every field and array element at any depth", () => {
    expect(fieldCount({})).toBe(0);
    expect(fieldCount({ a: 1, b: { c: 2 } })).toBe(3);
    expect(fieldCount({ list: ["x", "y"], empty: [], nothing: null })).toBe(5);
  });

  it("alternate call by call, the first of them swapping every call", () => {
    expect(shapeOrder(0)).toEqual(["nested", "jsonText"]);
    expect(shapeOrder(1)).toEqual(["jsonText", "nested"]);
    expect(shapeOrder(2)).toEqual(["nested", "jsonText"]);
  });
});

describe("the figures of a shape", () => {
  it("give the median call per document for wall time and every call's CPU per document", () => {
    const samples = [
      { ms: 100, cpuMs: 50 },
      { ms: 300, cpuMs: 60 },
      { ms: 200, cpuMs: 40 },
      { ms: 120, cpuMs: 50 },
    ];
    expect(shapeFigures(samples, 500)).toEqual({
      calls: 4,
      documentsPerCall: 500,
      medianMsPerDocument: 160 / 500,
      p90MsPerDocument: 300 / 500,
      cpuMsPerDocument: 200 / 2_000,
    });
  });

  it("give no CPU figure when a call's CPU was not read", () => {
    expect(shapeFigures([{ ms: 10 }, { ms: 20, cpuMs: 5 }], 10)).not.toHaveProperty("cpuMsPerDocument");
    expect(() => shapeFigures([], 500)).toThrow(/no calls/);
  });
});
