import type { Spread } from "./percentiles.js";

export function formatNumber(value: number, decimals = 0): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** "1,234 (1,100 – 1,300)": the median, then the range over the runs. */
export function formatSpread(spread: Spread, decimals = 0): { median: string; range: string } {
  return {
    median: formatNumber(spread.median, decimals),
    range: `${formatNumber(spread.min, decimals)} – ${formatNumber(spread.max, decimals)}`,
  };
}

export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: string[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(align), ...rows.map(line)].join("\n");
}

// The processes whose CPU use the benchmarks report, in the order they are listed.
const processOrder = ["ingestion", "identity", "scoring", "offer", "kafka", "ferretdb", "bench"];
const processLabels: Record<string, string> = {
  ingestion: "ingestion",
  identity: "identity",
  scoring: "scoring",
  offer: "offer",
  kafka: "Kafka",
  ferretdb: "FerretDB",
  bench: "benchmark",
};

/** A watched process's name for people; a numbered instance ("identity-2") keeps its number. */
export function processLabel(name: string): string {
  const [base = name, instance] = name.split("-");
  const label = processLabels[base] ?? base;
  return instance === undefined ? label : `${label} #${instance}`;
}

/** Where a watched process comes in lists: the services in pipeline order, then the servers, then the benchmark. */
export function processRank(name: string): number {
  const rank = processOrder.indexOf(name.split("-")[0] ?? name);
  return rank < 0 ? processOrder.length : rank;
}

/** CPU use by process, e.g. "identity 0.95 · Kafka 0.20 · FerretDB 0.61 · benchmark 0.02". */
export function formatCores(cores: Readonly<Record<string, number | undefined>>, separator = " · "): string {
  return Object.entries(cores)
    .filter((entry): entry is [string, number] => entry[1] !== undefined)
    .sort(([a], [b]) => processRank(a) - processRank(b) || a.localeCompare(b))
    .map(([name, used]) => `${processLabel(name)} ${formatNumber(used, 2)}`)
    .join(separator);
}
