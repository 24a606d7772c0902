import { describe, expect, it } from "vitest";
import { metricSamples, metricTotal } from "../src/exposition.js";

const exposition = [
  "# HELP rapport_identity_events_resolved_total crm.events events resolved",
  "# TYPE rapport_identity_events_resolved_total counter",
  'rapport_identity_events_resolved_total{merged="false"} 940',
  'rapport_identity_events_resolved_total{merged="true"} 60',
  'rapport_identity_identity_events_total{type="CustomersMerged",instance="a"} 60',
  "rapport_identity_events_resolved_total_created 1700000000",
].join("\n");

describe("counters in the Prometheus text format", () => {
  it("are read sample by sample with their labels", () => {
    expect(metricSamples(exposition, "rapport_identity_events_resolved_total")).toEqual([
      { labels: { merged: "false" }, value: 940 },
      { labels: { merged: "true" }, value: 60 },
    ]);
    expect(metricSamples(exposition, "rapport_identity_identity_events_total")).toEqual([
      { labels: { type: "CustomersMerged", instance: "a" }, value: 60 },
    ]);
  });

  it("add up over their label sets, 0 before the first sample", () => {
    expect(metricTotal(exposition, "rapport_identity_events_resolved_total")).toBe(1_000);
    expect(metricTotal(exposition, "rapport_ingestion_events_appended_total")).toBe(0);
  });
});
