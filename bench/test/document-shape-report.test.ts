import { describe, expect, it } from "vitest";
import type { ShapeFigures } from "../document-store/shape-figures.js";
import type { ShapeMeasurement, ShapeOperation } from "../document-store/shape-measurement.js";
import {
  shapeFindings,
  shapeSizesLine,
  shapeSubsection,
  shapesWhileMeasured,
  shapeTable,
} from "../document-store/shape-report.js";

/** Per document: wall ms and CPU ms (omitted: not read) of each operation, nested and as JSON text. */
type Given = Record<ShapeOperation, { wall: [number, number]; cpu?: [number, number] }>;

function measurement(given: Given): ShapeMeasurement {
  const figures = (position: 0 | 1) =>
    Object.fromEntries(
      Object.entries(given).map(([operation, { wall, cpu }]): [string, ShapeFigures] => [
        operation,
        {
          calls: 20,
          documentsPerCall: 500,
          medianMsPerDocument: wall[position],
          p90MsPerDocument: wall[position] * 1.5,
          ...(cpu ? { cpuMsPerDocument: cpu[position] } : {}),
        },
      ]),
    ) as Record<ShapeOperation, ShapeFigures>;
  const cpuRead = given.insertMany.cpu !== undefined;
  return {
    size: 10_000,
    customer: {
      jsonBytes: 764.7,
      bsonBytes: { nested: 832.7, jsonText: 783.7 },
      fields: { nested: 38, jsonText: 3 },
    },
    fillSeconds: { nested: 4.25, jsonText: 1.5 },
    figures: { nested: figures(0), jsonText: figures(1) },
    cpuRead,
    ...(cpuRead ? { cpuMs: { inCalls: 30_000, betweenCalls: 1_500 } } : {}),
    load: { min: 9.5, max: 12.25 },
  };
}

/** FerretDB's work as measured by hand: a quarter to a half for one JSON text field. */
const measured = measurement({
  insertMany: { wall: [0.3, 0.06], cpu: [0.2, 0.05] },
  findByIdIn: { wall: [0.6, 0.15], cpu: [0.53, 0.13] },
  bulkWriteReplace: { wall: [1.2, 0.6], cpu: [0.62, 0.26] },
});

/** A server the benchmark did not start: wall time only. */
const external = measurement({
  insertMany: { wall: [0.3, 0.06] },
  findByIdIn: { wall: [0.6, 0.15] },
  bulkWriteReplace: { wall: [1.2, 0.6] },
});

describe("the document shape subsection", () => {
  it("tables wall and FerretDB CPU per document for each shape, with nested over text", () => {
    const lines = shapeTable(measured).split("\n");
    expect(lines[0]).toBe(
      "| ms per document (wall: median call ÷ 500; CPU: all calls ÷ their customers) | calls | wall, nested | wall, JSON text | nested ÷ text | FerretDB CPU, nested | FerretDB CPU, JSON text | nested ÷ text |",
    );
    expect(lines[1]).toBe("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    expect(lines[2]).toBe(
      "| `insertMany` of 500 new customers | 20 | 0.300 | 0.060 | ×5.0 | 0.200 | 0.050 | ×4.0 |",
    );
    expect(lines[3]).toBe(
      "| `find({_id: {$in: [500 ids]}})` | 20 | 0.600 | 0.150 | ×4.0 | 0.530 | 0.130 | ×4.1 |",
    );
    expect(lines[4]).toBe(
      "| `bulkWrite` of 500 `replaceOne({_id}, customer, {upsert: true})` | 20 | 1.200 | 0.600 | ×2.0 | 0.620 | 0.260 | ×2.4 |",
    );
    expect(lines).toHaveLength(5);
  });

  it("leaves the CPU columns out for a server it did not start, and says so", () => {
    const lines = shapeTable(external).split("\n");
    expect(lines[0]).toBe(
      "| ms per document (wall: median call ÷ 500; CPU: all calls ÷ their customers) | calls | wall, nested | wall, JSON text | nested ÷ text |",
    );
    expect(lines[2]).toBe("| `insertMany` of 500 new customers | 20 | 0.300 | 0.060 | ×5.0 |");
    expect(shapesWhileMeasured(external)).toBe(
      "While the shapes were measured: load average (1 min) 9.50 – 12.25, read before each operation and after the last. FerretDB's CPU time was not read: MONGODB_URI named a server this benchmark did not start, so the table gives wall time only.",
    );
  });

  it("states the load, and FerretDB's CPU time within and between the calls", () => {
    expect(shapesWhileMeasured(measured)).toBe(
      "While the shapes were measured: load average (1 min) 9.50 – 12.25, read before each operation and after the last. FerretDB's CPU time: 30.0 s within the calls (the unmeasured clean-up deletes included), 1.5 s (5 %) between them. The table counts what fell within a call: work left over when a call is answered falls between calls or into the next call, which may be of the other shape.",
    );
  });

  it("says what a customer is in each shape and how long each took to fill", () => {
    expect(shapeSizesLine(measured)).toBe(
      "A customer is 765 bytes of JSON on average: nested, 38 values in 833 bytes of BSON; as `{_id, status, state}`, 3 values in 784 bytes of BSON (values: the fields of every embedded document and the elements of every array, at any depth). Filling 10,000 customers (`insertMany` of 1,000 a call, the shapes in turn) took 4.3 s nested and 1.5 s as one JSON text field.",
    );
  });

  it("says FerretDB's work grows with the fields and draws the conclusion when one text field cost less CPU everywhere", () => {
    expect(shapeFindings(measured)).toEqual([
      "FerretDB's work grows with the number of fields, not only with the bytes: the same customer as one JSON text field beside `_id` and `status` (3 values against 38, 784 bytes of BSON against 833) cost FerretDB less CPU time: nested fields took ×4.0 as much to insert (0.200 against 0.050 ms a document), ×4.1 as much to read by `_id` `$in` (0.530 against 0.130 ms a document) and ×2.4 as much to replace (0.620 against 0.260 ms a document).",
      "In wall time from the benchmark process (the driver's encoding and decoding included; median call), nested fields took ×5.0 as much to insert (0.300 against 0.060 ms a document), ×4.0 as much to read by `_id` `$in` (0.600 against 0.150 ms a document) and ×2.0 as much to replace (1.200 against 0.600 ms a document).",
      'So keep what no read filters on as one JSON text field, and the fields reads filter on beside it (as identity stores its customers and decisions: services/identity/README.md, "MongoDB collections").',
    ]);
  });

  it("draws no conclusion when one text field did not cost less CPU for every operation", () => {
    const mixed = measurement({
      insertMany: { wall: [0.3, 0.06], cpu: [0.2, 0.05] },
      findByIdIn: { wall: [0.6, 0.15], cpu: [0.13, 0.13] },
      bulkWriteReplace: { wall: [1.2, 0.6], cpu: [0.62, 0.26] },
    });
    const [cpu, , conclusion] = shapeFindings(mixed);
    expect(cpu).toMatch(
      /^The same customer as one JSON text field .* did not cost FerretDB less CPU time for every operation: nested fields took ×4.0 as much to insert .*, ×1.0 as much to read by `_id` `\$in`/,
    );
    expect(conclusion).toBeUndefined();
  });

  it("draws the conclusion from wall time alone when FerretDB's CPU was not read", () => {
    const lines = shapeFindings(external);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^In wall time from the benchmark process/);
    expect(lines[1]).toMatch(/^So keep what no read filters on as one JSON text field/);
  });

  it("describes the measurement, then gives the table, the sizes, the load and what it means", () => {
    const subsection = shapeSubsection(measured);
    expect(subsection).toMatch(/^### Document shape: nested fields or one JSON text field\n/);
    expect(subsection).toContain("each in a fresh database with one collection of 10,000");
    expect(subsection).toContain("20 calls of each operation on each\nshape");
    expect(subsection).toContain("(`/proc/<pid>/stat`, in ticks of 10 ms)");
    for (const part of [shapeTable(measured), shapeSizesLine(measured), shapesWhileMeasured(measured)])
      expect(subsection).toContain(part);
    expect(subsection).toContain(`#### What this means\n\n- ${shapeFindings(measured)[0]}`);
    expect(shapeSubsection(external)).toContain(
      "FerretDB's CPU time is not reported: the server was not one this benchmark\nstarted.",
    );
  });
});
