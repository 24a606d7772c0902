import { describe, expect, it } from "vitest";
import type { CollectionResult } from "../document-store/collection-measurement.js";
import type { DocumentStoreReport } from "../document-store/document-store-report.js";
import { explainedPlan } from "../document-store/explained-plan.js";
import { findings } from "../document-store/findings.js";
import { latencyFigures } from "../document-store/latency-figures.js";
import { type Operation, operations } from "../document-store/operations.js";
import {
  documentStoreSection,
  fillTable,
  latencyTable,
  perDocumentTable,
  plansTable,
  resultTables,
  whileMeasured,
} from "../document-store/report.js";
import { describeBuildInfo } from "../document-store/server-version.js";
import type { ShapeMeasurement } from "../document-store/shape-measurement.js";
import { shapeSubsection, shapeTable } from "../document-store/shape-report.js";

const scan = { plan: "id=2 parent=0 notused=0 detail=SCAN identifiers_1a2b", filterPushdown: false };
const search = {
  plan: "id=3 parent=0 notused=0 detail=SEARCH identifiers_1a2b USING INDEX identifiers_1a2b__id_ (<expr>=?)",
  filterPushdown: true,
};

/** A collection where every operation took `medianMs` (1 ms unless given; p90 one and a half times that). */
function collection(size: number, medianMs: Partial<Record<Operation, number>>): CollectionResult {
  const figures = (ms: number) => ({ calls: 100, medianMs: ms, p90Ms: ms * 1.5 });
  return {
    size,
    fillSeconds: size / 20_000,
    plans: { byId: search, byIdIn: search, byIdInMixed: scan, byCustomer: scan, byIdAndCustomer: scan },
    latency: Object.fromEntries(
      operations.map((operation) => [operation, figures(medianMs[operation] ?? 1)]),
    ) as CollectionResult["latency"],
  };
}

function report(collections: CollectionResult[]): DocumentStoreReport {
  return {
    startedAt: new Date("2026-12-07T10:00:00Z"),
    command: "npm run bench -w @rapport/bench -- document-store",
    machine: { cpuModel: "AMD EPYC", cores: 2, node: "v20.20.2", commit: "abc1234" },
    loadBefore: "0.50 0.60 0.70",
    loadAfter: "1.50 1.20 0.90",
    infra: "a throwaway FerretDB",
    serverVersion: "FerretDB v1.24.2 (reports MongoDB 7.0.42)",
    options: {
      sizes: collections.map((c) => c.size),
      operations: 100,
      batchOperations: 20,
      scanOperations: 10,
      shapes: undefined,
      timeoutSeconds: 120,
      write: true,
    },
    collections,
    cores: { ferretdb: 0.95, bench: 0.1 },
    load: { min: 0.5, max: 1.75 },
  };
}

/** Served from the index: every operation by _id about the same at every size; the scans grow. */
const indexed = report([
  collection(1_000, { findById: 1.1, findByIdIn: 70, bulkWriteUpdates: 200, findByCustomer: 40 }),
  collection(10_000, { findById: 1.2, findByIdIn: 75, bulkWriteUpdates: 190, findByCustomer: 400 }),
  collection(100_000, { findById: 1.4, findByIdIn: 90, bulkWriteUpdates: 210, findByCustomer: 4_000 }),
]);

/** As stock FerretDB 1.24.2 answers: lookups by _id grow with the collection, the bulkWrite never ends. */
function stock(): DocumentStoreReport {
  const wedged = (result: CollectionResult): CollectionResult => {
    result.latency.bulkWriteUpdates = { unfinishedAfterSeconds: 120, callsBefore: 0 };
    result.plans.byId = { ...scan, filterPushdown: true };
    result.plans.byIdIn = scan;
    return result;
  };
  return report([
    wedged(collection(1_000, { findById: 5, findByIdIn: 100 })),
    wedged(collection(10_000, { findById: 25, findByIdIn: 1_000 })),
  ]);
}

describe("the document store section", () => {
  it("tables each operation by collection size as median / p90 in ms, with its calls", () => {
    const lines = latencyTable(indexed).split("\n");
    expect(lines[0]).toBe(
      "| operation, ms a call: median / p90 | calls | 1,000 docs | 10,000 docs | 100,000 docs |",
    );
    expect(lines[1]).toBe("| --- | ---: | ---: | ---: | ---: |");
    expect(lines[2]).toBe("| `findOne({_id})` | 100 | 1.1 / 1.7 | 1.2 / 1.8 | 1.4 / 2.1 |");
    expect(lines).toContain(
      "| `find({_id: {$in: [500 ids]}})` | 20 | 70.0 / 105.0 | 75.0 / 112.5 | 90.0 / 135.0 |",
    );
    expect(lines).toContain(
      "| `findOne({customerId})` (indexed field) | 10 | 40.0 / 60.0 | 400.0 / 600.0 | 4,000.0 / 6,000.0 |",
    );
    expect(lines).toHaveLength(2 + operations.length);
  });

  it("says a bulkWrite that got no answer did not finish, in the table and in what it means", () => {
    const report = stock();
    expect(latencyTable(report)).toContain(
      "| `bulkWrite` of 500 `updateOne({_id}, {$set})` | 20 | no answer in 120 s | no answer in 120 s |",
    );
    expect(perDocumentTable(report)).toContain(
      "| `bulkWrite` of 500 `updateOne({_id}, {$set})` | n/a | n/a |",
    );
    expect(findings(report)).toContain(
      "`bulkWrite` of 500 `updateOne({_id})` got no answer within 120 s at 1,000 documents (after 0 answered calls; nothing was measured after it on that database); got no answer within 120 s at 10,000 documents (after 0 answered calls; nothing was measured after it on that database).",
    );
  });

  it("gives the batches and the fill per document", () => {
    const lines = perDocumentTable(indexed).split("\n");
    expect(lines[0]).toBe(
      "| ms per document (median call ÷ 500) | 1,000 docs | 10,000 docs | 100,000 docs |",
    );
    expect(lines).toContain("| `find({_id: {$in: [500 ids]}})` | 0.140 | 0.150 | 0.180 |");
    expect(lines[lines.length - 1]).toBe(
      "| fill: `insertMany` of 1,000 per call (all calls) | 0.050 | 0.050 | 0.050 |",
    );
  });

  it("states a plan once for the sizes that answered it the same", () => {
    const same = plansTable(indexed).split("\n");
    expect(same[2]).toBe(`| \`find({_id})\` | every size | \`${search.plan}\` | true |`);
    expect(same).toHaveLength(2 + 5);

    const largest = collection(20_000, {});
    largest.plans.byCustomer = { plan: "SEARCH identifiers USING INDEX by_customer", filterPushdown: true };
    const differing = plansTable(report([collection(1_000, {}), collection(5_000, {}), largest])).split("\n");
    expect(differing).toContain(`| \`find({customerId})\` | 1,000, 5,000 | \`${scan.plan}\` | false |`);
    expect(differing).toContain(
      "| `find({customerId})` | 20,000 | `SEARCH identifiers USING INDEX by_customer` | true |",
    );
  });

  it("says the operations by _id stayed flat, with each one's ratio from the smallest size to the largest", () => {
    const [flatness] = findings(indexed);
    expect(flatness).toMatch(
      /^From 1,000 to 100,000 documents \(×100 the documents\) every operation by `_id` stayed flat \(medians within ×2 or 1 ms of each other at every size\); the median at 100,000 over the median at 1,000: `findOne\(\{_id\}\)` ×1\.3, /,
    );
    expect(flatness).toContain("`find({_id: {$in}})` of 500 ids ×1.3");
    expect(flatness).toContain("and `bulkWrite` of 500 `updateOne({_id})` ×1.1.");
  });

  it("says which operations by _id did not stay flat", () => {
    const [flatness] = findings(stock());
    expect(flatness).toMatch(
      /^From 1,000 to 10,000 documents \(×10 the documents\) not every operation by `_id` stayed flat/,
    );
    expect(flatness).toContain("`findOne({_id})` ×5.0");
    expect(flatness).toContain("`find({_id: {$in}})` of 500 ids ×10");
    expect(flatness).toContain("`bulkWrite` of 500 `updateOne({_id})` not answered at every size");
  });

  it("restates each operation at every size, per document for a batch", () => {
    const lines = findings(indexed);
    expect(lines).toContain(
      "`findOne({_id})` took 1.1 ms at 1,000 documents, 1.2 ms at 10,000 and 1.4 ms at 100,000 (median; ×1.3 from 1,000 to 100,000, p90 1.7 and 2.1 ms).",
    );
    expect(lines).toContain(
      "`find({_id: {$in}})` of 500 ids took 70.0 ms (0.14 ms a document) at 1,000 documents, 75.0 ms (0.15 ms a document) at 10,000 and 90.0 ms (0.18 ms a document) at 100,000 (median; ×1.3 from 1,000 to 100,000, p90 105.0 and 135.0 ms).",
    );
    expect(lines).toContain(
      "`findOne({customerId})` took 40.0 ms at 1,000 documents, 400.0 ms at 10,000 and 4,000.0 ms at 100,000 (median; ×100 from 1,000 to 100,000, p90 60.0 and 6,000.0 ms).",
    );
  });

  it("names the finds the _id index answered, quotes the other plans, and notes the unused customerId index", () => {
    const lines = findings(indexed);
    expect(lines).toContain(
      "`find({_id})` and `find({_id: {$in: [500 ids]}})` were answered from the `_id` index at every size (SQLite's plan `SEARCH … USING INDEX …`, filterPushdown true).",
    );
    expect(lines).toContain(
      `\`explain\` of \`find({customerId})\` answered \`${scan.plan}\` with filterPushdown false at every size.`,
    );
    expect(lines).toContain(
      "No plan uses the `customerId` index (`createIndex({customerId: 1})`): a filter on any other field than `_id`, or on `_id` and another field, reads the whole collection and FerretDB filters it itself.",
    );
    expect(findings(stock())).toContain(
      `\`explain\` of \`find({_id})\` answered \`${scan.plan}\` with filterPushdown true at every size.`,
    );
  });

  it("draws the conclusion for the services only when every operation by _id stayed flat", () => {
    expect(findings(indexed)).toContain(
      "So the services can read, update, replace and delete by `_id`, one document at a time or 500 at a time (`$in`, `bulkWrite`), at about the same cost at 100,000 documents as at 1,000; in a batch a document costs less than alone (`$in` 0.18 ms a document against 1.4 ms for a `findOne` at 100,000). A filter the index cannot serve grows with the collection instead (`findOne({customerId})` ×100).",
    );
    expect(findings(stock()).some((line) => line.startsWith("So the services"))).toBe(false);
  });

  it("gives the load and the CPU once for every size, which were measured in turn", () => {
    expect(whileMeasured(indexed)).toBe(
      "While the operations ran (every size in turn): load average (1 min) 0.50 – 1.75, read before each operation and after the last; CPU FerretDB 0.95 · benchmark 0.10 cores.",
    );
    expect(fillTable(indexed).split("\n")[2]).toBe(
      "| fill: `insertMany` of 1,000 per call, s | 0.1 | 0.5 | 5.0 |",
    );
  });

  it("holds the conditions, the server version and every table", () => {
    const section = documentStoreSection(indexed);
    expect(section).toMatch(/^## Document store \(FerretDB\) by collection size\n/);
    expect(section).toContain("| date (UTC) | 2026-12-07 10:00 |");
    expect(section).toContain(
      "| servers | a throwaway FerretDB; buildInfo: FerretDB v1.24.2 (reports MongoDB 7.0.42) |",
    );
    expect(section).toContain("| load average (1/5/15 min) | before 0.50 0.60 0.70; after 1.50 1.20 0.90 |");
    expect(section).toContain(
      "| parameters | sizes 1,000, 10,000, 100,000 documents (a fresh database each); per size 100 calls of each single-document operation, 20 of each batch of 500, 10 of each filter not served by an index; document shape not measured (`--no-shapes`); timeout 120 s a call; one run, so each figure summarises the calls of that run (it is not a median over repeated runs like the other sections' figures) |",
    );
    expect(section).toContain(latencyTable(indexed));
    expect(section).toContain(perDocumentTable(indexed));
    expect(section).toContain(plansTable(indexed));
    expect(section).toContain(whileMeasured(indexed));
    expect(section).toContain("### What this means");
  });

  it("ends with the document shape subsection when the shapes were measured", () => {
    const figures = (ms: number) => ({
      calls: 20,
      documentsPerCall: 500,
      medianMsPerDocument: ms,
      p90MsPerDocument: ms,
      cpuMsPerDocument: ms / 2,
    });
    const byOperation = (ms: number) => ({
      insertMany: figures(ms),
      findByIdIn: figures(ms * 2),
      bulkWriteReplace: figures(ms * 4),
    });
    const shapes: ShapeMeasurement = {
      size: 10_000,
      customer: {
        jsonBytes: 765,
        bsonBytes: { nested: 833, jsonText: 784 },
        fields: { nested: 38, jsonText: 3 },
      },
      fillSeconds: { nested: 4, jsonText: 1 },
      figures: { nested: byOperation(0.2), jsonText: byOperation(0.05) },
      cpuRead: true,
      cpuMs: { inCalls: 20_000, betweenCalls: 500 },
      load: { min: 1, max: 2 },
    };
    const withShapes: DocumentStoreReport = {
      ...indexed,
      options: { ...indexed.options, shapes: { size: 10_000, operations: 20 } },
      shapes,
    };
    const section = documentStoreSection(withShapes);
    expect(section).toContain(
      "10 of each filter not served by an index; document shape: 10,000 customers in each shape (a fresh database each), 20 calls of each operation on 500 customers on each shape; timeout 120 s a call;",
    );
    expect(section.endsWith(`\n\n${shapeSubsection(shapes)}\n`)).toBe(true);
    expect(resultTables(withShapes).endsWith(shapeTable(shapes))).toBe(true);
    expect(documentStoreSection(indexed)).not.toContain("### Document shape");
  });
});

describe("figures the document store benchmark reads", () => {
  it("summarise latencies by their median and nearest-rank p90", () => {
    expect(latencyFigures([5, 1, 4, 2, 3, 10, 9, 8, 7, 6])).toEqual({ calls: 10, medianMs: 5.5, p90Ms: 9 });
  });

  it("take FerretDB's plan lines and filterPushdown, or MongoDB's winning stages", () => {
    expect(
      explainedPlan({
        queryPlanner: { Plan: ["id=2 parent=0 notused=0 detail=SCAN identifiers_1a2b"] },
        filterPushdown: true,
      }),
    ).toEqual({ plan: "id=2 parent=0 notused=0 detail=SCAN identifiers_1a2b", filterPushdown: true });
    expect(
      explainedPlan({
        queryPlanner: { winningPlan: { stage: "FETCH", inputStage: { stage: "IXSCAN" } } },
      }),
    ).toEqual({ plan: "FETCH ← IXSCAN", filterPushdown: undefined });
  });

  it("name FerretDB's own version when buildInfo has one", () => {
    expect(describeBuildInfo({ version: "7.0.42", ferretdbVersion: "v1.24.2" })).toBe(
      "FerretDB v1.24.2 (reports MongoDB 7.0.42)",
    );
    expect(describeBuildInfo({ version: "7.0.14" })).toBe("MongoDB 7.0.14");
  });
});
