import { describe, expect, it } from "vitest";
import { identifierDocument, identifiersPerCustomer } from "../document-store/identifier-documents.js";
import { parseDocumentStoreOptions, parseSizes } from "../document-store/options.js";

describe("the documents the document store benchmark fills a collection with", () => {
  it("are shaped like identity's identifiers: the identifier as _id, its customer, the linking event", () => {
    expect(identifierDocument(123)).toEqual({
      _id: "email:person123@example.com",
      customerId: expect.stringMatching(/^cus_[0-9a-f]{24}$/),
      linkedBy: { eventId: "evt-0000003f", time: "2026-01-05T09:02:03.000Z" },
    });
  });

  it("are the same for the same index and never share an _id", () => {
    expect(identifierDocument(7)).toEqual(identifierDocument(7));
    const ids = Array.from({ length: 5_000 }, (_, index) => identifierDocument(index)._id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("give each customer a few identifiers, so a lookup by customerId matches more than one", () => {
    const customers = Array.from({ length: 10 }, (_, index) => identifierDocument(index).customerId);
    expect(new Set(customers).size).toBe(10 / identifiersPerCustomer);
    expect(customers[0]).toBe(customers[1]);
    expect(customers[1]).not.toBe(customers[2]);
  });
});

describe("the document store benchmark's options", () => {
  it("default to three sizes, 100 calls per operation, and writing the section", () => {
    expect(parseDocumentStoreOptions([])).toEqual({
      sizes: [1_000, 5_000, 20_000],
      operations: 100,
      write: true,
    });
  });

  it("take sizes as a comma-separated list, measured from the smallest", () => {
    expect(parseSizes("20000, 1000,5000")).toEqual([1_000, 5_000, 20_000]);
    expect(parseDocumentStoreOptions(["--sizes", "300", "--ops", "20", "--no-write"])).toEqual({
      sizes: [300],
      operations: 20,
      write: false,
    });
  });

  it("refuse sizes that are not whole numbers > 0, or repeat", () => {
    expect(() => parseSizes("1000,,5000")).toThrow(/--sizes must be a whole number > 0/);
    expect(() => parseSizes("1000,2.5")).toThrow(/got 2.5/);
    expect(() => parseSizes("1000,1000")).toThrow(/must not repeat/);
    expect(() => parseDocumentStoreOptions(["--ops", "0"])).toThrow(/--ops/);
  });
});
