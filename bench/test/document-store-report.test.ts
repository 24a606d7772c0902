import { describe, expect, it } from "vitest";
import type { CollectionResult } from "../document-store/collection-measurement.js";
import type { DocumentStoreReport } from "../document-store/document-store-report.js";
import { explainedPlan } from "../document-store/explained-plan.js";
import { findings } from "../document-store/findings.js";
import { latencyFigures } from "../document-store/latency-figures.js";
import type { Operation } from "../document-store/operations.js";
import { documentStoreSection, latencyTable, plansTable } from "../document-store/report.js";
import { describeBuildInfo } from "../document-store/server-version.js";

const scan = { plan: "id=2 parent=0 notused=0 detail=SCAN identifiers_1a2b", filterPushdown: false };

/** A collection where every operation took `medianMs` (p90 one and a half times that). */
function collection(size: number, medianMs: Partial<Record<Operation, number>>): CollectionResult {
  const figures = (ms: number) => ({ calls: 100, medianMs: ms, p90Ms: ms * 1.5 });
  return {
    size,
    fillSeconds: size / 10_000,
    plans: { byId: { ...scan, filterPushdown: true }, byCustomer: scan, byIdAndCustomer: scan },
    latency: {
      findById: figures(medianMs.findById ?? 1),
      findByCustomer: figures(medianMs.findByCustomer ?? 1),
      updateById: figures(medianMs.updateById ?? 1),
      insertNew: figures(medianMs.insertNew ?? 1),
      insertDuplicate: figures(medianMs.insertDuplicate ?? 1),
      deleteById: figures(medianMs.deleteById ?? 1),
      deleteByIdAndCustomer: figures(medianMs.deleteByIdAndCustomer ?? 1),
    },
    cores: { ferretdb: 0.95, bench: 0.1 },
  };
}

function report(collections: CollectionResult[]): DocumentStoreReport {
  return {
    startedAt: new Date("2026-11-24T10:00:00Z"),
    command: "npm run bench -w @rapport/bench -- document-store",
    machine: { cpuModel: "AMD EPYC", cores: 2, node: "v20.20.2", commit: "abc1234" },
    loadBefore: "0.50 0.60 0.70",
    loadAfter: "1.50 1.20 0.90",
    infra: "a throwaway FerretDB",
    serverVersion: "FerretDB v1.24.2 (reports MongoDB 7.0.42)",
    options: { sizes: collections.map((c) => c.size), operations: 100, write: true },
    collections: collections.map((result) => ({ load: 0.5, result })),
  };
}

const grown = report([
  collection(1_000, { findById: 3.5, insertNew: 2.6, insertDuplicate: 1.4, deleteById: 15 }),
  collection(5_000, { findById: 8, insertNew: 1.5, insertDuplicate: 1.3, deleteById: 32 }),
  collection(20_000, { findById: 18, insertNew: 1.9, insertDuplicate: 1.5, deleteById: 14 }),
]);

describe("the document store section", () => {
  it("tables each operation by collection size as median / p90 in ms", () => {
    const lines = latencyTable(grown).split("\n");
    expect(lines[0]).toBe(
      "| operation (100 calls each), ms: median / p90 | 1,000 docs | 5,000 docs | 20,000 docs |",
    );
    expect(lines[1]).toBe("| --- | ---: | ---: | ---: |");
    expect(lines[2]).toBe("| `findOne({_id})` | 3.5 / 5.3 | 8.0 / 12.0 | 18.0 / 27.0 |");
    expect(lines).toHaveLength(2 + 7);
  });

  it("states a plan once for the sizes that answered it the same", () => {
    const same = plansTable(grown).split("\n");
    expect(same[2]).toBe(
      "| `find({_id})` | every size | `id=2 parent=0 notused=0 detail=SCAN identifiers_1a2b` | true |",
    );
    expect(same).toHaveLength(2 + 3);

    const largest = collection(20_000, {});
    largest.plans.byId = { plan: "SEARCH identifiers USING INDEX", filterPushdown: true };
    const differing = plansTable(report([collection(1_000, {}), collection(5_000, {}), largest])).split("\n");
    expect(differing[2]).toContain("| 1,000, 5,000 |");
    expect(differing[3]).toContain("| 20,000 | `SEARCH identifiers USING INDEX` | true |");
  });

  it("restates the growth from the smallest to the largest size, and what stayed the same", () => {
    const lines = findings(grown);
    expect(lines[0]).toBe(
      "`findOne({_id})` took 3.5 ms at 1,000 documents and 18.0 ms at 20,000 (×5.1; p90 5.3 and 27.0 ms).",
    );
    expect(lines).toContain(
      "`insertOne` of a duplicate `_id` took about the same at every size: between 1.3 and 1.5 ms (medians at 1,000, 5,000 and 20,000 documents: 1.4, 1.3 and 1.5 ms).",
    );
  });

  it("calls medians within a millisecond or ×2 of each other about the same, and states any other change", () => {
    const lines = findings(grown);
    expect(lines).toContain(
      "`insertOne` of a new `_id` took about the same at every size: between 1.5 and 2.6 ms (medians at 1,000, 5,000 and 20,000 documents: 2.6, 1.5 and 1.9 ms).",
    );
    expect(lines).toContain(
      "`deleteOne({_id})` took 15.0 ms at 1,000 documents and 14.0 ms at 20,000 (×0.9; p90 22.5 and 21.0 ms).",
    );
  });

  it("quotes the plans, notes that none names the index, and gives the CPU at the largest size", () => {
    const lines = findings(grown);
    expect(lines).toContain(
      "`explain` of `find({_id})` answered `id=2 parent=0 notused=0 detail=SCAN identifiers_1a2b` with filterPushdown true at every size.",
    );
    expect(lines).toContain(
      "None of these plans names an index, though `customerId` has one (`createIndex({customerId: 1})`).",
    );
    expect(lines[lines.length - 1]).toBe(
      "While the operations at 20,000 documents ran: FerretDB 0.95 · benchmark 0.10 cores (one call in flight).",
    );
  });

  it("holds the conditions, the server version and every table", () => {
    const section = documentStoreSection(grown);
    expect(section).toMatch(/^## Document store \(FerretDB\) by collection size\n/);
    expect(section).toContain("| date (UTC) | 2026-11-24 10:00 |");
    expect(section).toContain(
      "| servers | a throwaway FerretDB; buildInfo: FerretDB v1.24.2 (reports MongoDB 7.0.42) |",
    );
    expect(section).toContain("| load average (1/5/15 min) | before 0.50 0.60 0.70; after 1.50 1.20 0.90 |");
    expect(section).toContain(
      "| parameters | sizes 1,000, 5,000, 20,000 documents (a fresh database each); 100 calls of each operation per size; one run, so each figure summarises the calls of that run (it is not a median over repeated runs like the other sections' figures) |",
    );
    expect(section).toContain("### What this means");
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
