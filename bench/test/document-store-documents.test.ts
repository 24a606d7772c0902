import { describe, expect, it } from "vitest";
import { identifierDocument, identifiersPerCustomer } from "../document-store/identifier-documents.js";
import { liveDocuments } from "../document-store/live-documents.js";
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
  it("default to 1,000 to 100,000 documents, 100 single calls, 20 batches, 10 scans, shapes at 10,000, and writing the section", () => {
    expect(parseDocumentStoreOptions([])).toEqual({
      sizes: [1_000, 10_000, 100_000],
      operations: 100,
      batchOperations: 20,
      scanOperations: 10,
      shapes: { size: 10_000, operations: 20 },
      timeoutSeconds: 120,
      write: true,
    });
  });

  it("take sizes as a comma-separated list, measured from the smallest, and each count on its own", () => {
    expect(parseSizes("20000, 1000,5000")).toEqual([1_000, 5_000, 20_000]);
    expect(
      parseDocumentStoreOptions([
        "--sizes",
        "600",
        "--ops",
        "20",
        "--batch-ops",
        "3",
        "--scan-ops",
        "2",
        "--timeout",
        "30",
        "--no-write",
      ]),
    ).toEqual({
      sizes: [600],
      operations: 20,
      batchOperations: 3,
      scanOperations: 2,
      shapes: { size: 10_000, operations: 20 },
      timeoutSeconds: 30,
      write: false,
    });
  });

  it("take the document shape measurement's size and calls, or leave it out", () => {
    expect(parseDocumentStoreOptions(["--shape-size", "2000", "--shape-ops", "5"]).shapes).toEqual({
      size: 2_000,
      operations: 5,
    });
    expect(parseDocumentStoreOptions(["--no-shapes"]).shapes).toBeUndefined();
    expect(() => parseDocumentStoreOptions(["--shape-size", "499"])).toThrow(
      /--shape-size must be at least 500 \(the customers of one batch\), got 499/,
    );
    expect(() => parseDocumentStoreOptions(["--shape-ops", "0"])).toThrow(/--shape-ops/);
  });

  it("refuse sizes that are not whole numbers > 0, repeat, or hold fewer documents than one batch", () => {
    expect(() => parseSizes("1000,,5000")).toThrow(/--sizes must be a whole number > 0/);
    expect(() => parseSizes("1000,2.5")).toThrow(/got 2.5/);
    expect(() => parseSizes("1000,1000")).toThrow(/must not repeat/);
    expect(() => parseSizes("300,1000")).toThrow(/at least 500 \(the documents of one batch\), got 300/);
    expect(() => parseDocumentStoreOptions(["--ops", "0"])).toThrow(/--ops/);
    expect(() => parseDocumentStoreOptions(["--batch-ops", "-1"])).toThrow(/--batch-ops/);
    expect(() => parseDocumentStoreOptions(["--timeout", "1.5"])).toThrow(/--timeout/);
  });
});

describe("the documents the benchmark knows a collection holds", () => {
  it("draws distinct positions for a batch, and the same ones for the same size", () => {
    const batch = liveDocuments(1_000).pickDistinct(500);
    expect(new Set(batch).size).toBe(500);
    expect(batch.every((index) => index >= 0 && index < 1_000)).toBe(true);
    expect(liveDocuments(1_000).pickDistinct(500)).toEqual(batch);
    expect(() => liveDocuments(400).pickDistinct(500)).toThrow(/cannot draw 500 of 400/);
  });

  it("hands out new ids after the filled ones and keeps a replacement in the deleted one's place", () => {
    const live = liveDocuments(3);
    const added = live.fresh();
    expect(added._id).toBe(identifierDocument(3)._id);
    expect(live.fresh()._id).toBe(identifierDocument(4)._id);
    live.replace(1, added);
    expect([0, 1, 2].map((index) => live.at(index)._id)).toEqual([
      identifierDocument(0)._id,
      added._id,
      identifierDocument(2)._id,
    ]);
    expect(() => live.at(3)).toThrow(/no live document at 3/);
  });
});
