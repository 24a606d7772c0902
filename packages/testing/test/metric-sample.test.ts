import { describe, expect, it } from "vitest";
import { metricSample } from "../src/metric-sample.js";

const exposition = `# HELP rapport_kafka_records_consumed_total Records handled
# TYPE rapport_kafka_records_consumed_total counter
rapport_kafka_records_consumed_total{group="g1",topic="crm.events",service="identity"} 12
rapport_kafka_records_consumed_total{group="g2",topic="crm.events",service="identity"} 3
# TYPE rapport_kafka_consumer_lag gauge
rapport_kafka_consumer_lag{group="g1",topic="crm.events",partition="0",service="identity"} 0
process_cpu_seconds_total 1.5
`;

describe("metricSample", () => {
  it("reads the sample whose labels include the ones asked for", () => {
    expect(metricSample(exposition, "rapport_kafka_records_consumed_total", { group: "g2" })).toBe(3);
    expect(metricSample(exposition, "rapport_kafka_consumer_lag", { partition: "0" })).toBe(0);
    expect(metricSample(exposition, "process_cpu_seconds_total")).toBe(1.5);
  });

  it("is undefined when no sample has that name and those labels", () => {
    expect(metricSample(exposition, "rapport_kafka_records_consumed_total", { group: "g3" })).toBeUndefined();
    expect(metricSample(exposition, "rapport_kafka_records", { group: "g1" })).toBeUndefined();
  });
});
