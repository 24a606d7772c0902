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
