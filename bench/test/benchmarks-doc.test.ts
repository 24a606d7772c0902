import { describe, expect, it } from "vitest";
import { withBenchmarkSection } from "../shared/benchmarks-doc.js";

describe("a benchmark's section of docs/benchmarks.md", () => {
  it("starts a new document with the introduction and the section between its markers", () => {
    const document = withBenchmarkSection("", "ingestion", "## Ingestion\n\nfigures");
    expect(document).toMatch(/^# Benchmarks\n/);
    expect(document).toContain(
      "<!-- bench:ingestion:start -->\n## Ingestion\n\nfigures\n<!-- bench:ingestion:end -->\n",
    );
  });

  it("replaces only its own section when run again, keeping the others and the text around them", () => {
    const before = [
      "# Benchmarks\n\nintro\n",
      "<!-- bench:ingestion:start -->\n## Ingestion\n\nold\n<!-- bench:ingestion:end -->\n",
      "<!-- bench:scoring:start -->\n## Scoring\n\nkept\n<!-- bench:scoring:end -->\n",
    ].join("\n");
    const after = withBenchmarkSection(before, "ingestion", "## Ingestion\n\nnew");
    expect(after).toBe(before.replace("old", "new"));
  });

  it("appends a section the document does not have yet", () => {
    const before =
      "# Benchmarks\n\nintro\n\n<!-- bench:scoring:start -->\n## Scoring\n<!-- bench:scoring:end -->\n";
    const after = withBenchmarkSection(before, "ingestion", "## Ingestion");
    expect(after).toBe(
      `${before}\n<!-- bench:ingestion:start -->\n## Ingestion\n<!-- bench:ingestion:end -->\n`,
    );
  });
});
