import { describe, expect, it } from "vitest";
import { formatCores, formatSpread } from "../shared/format.js";

describe("figures for people", () => {
  it("list CPU use by process in a fixed order, numbering instances", () => {
    expect(formatCores({ bench: 0.021, ferretdb: 0.61, kafka: 0.2, identity: 0.954 })).toBe(
      "identity 0.95 · Kafka 0.20 · FerretDB 0.61 · benchmark 0.02",
    );
    expect(formatCores({ "identity-2": 0.4, kafka: 0.1, "identity-1": 0.5, other: 1 }, ", ")).toBe(
      "identity #1 0.50, identity #2 0.40, Kafka 0.10, other 1.00",
    );
  });

  it("give a median with its range", () => {
    expect(formatSpread({ median: 1234.4, min: 1100, max: 1300, runs: 3 })).toEqual({
      median: "1,234",
      range: "1,100 – 1,300",
    });
  });
});
