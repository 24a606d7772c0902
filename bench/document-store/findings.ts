import { formatCores, formatNumber } from "../shared/format.js";
import type { DocumentStoreReport } from "./document-store-report.js";
import {
  explainedQueries,
  explainedQueryLabels,
  type Operation,
  operationSubjects,
  operations,
} from "./operations.js";

/**
 * Medians whose fastest and slowest size differ by at most a millisecond or this factor are said to be
 * "about the same at every size"; the figures are stated either way.
 */
const sameWithin = { ms: 1, factor: 2 };

const ms = (value: number) => formatNumber(value, 1);
/** "a, b and c" */
const listed = (items: readonly string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
const times = (ratio: number) => `×${formatNumber(ratio, ratio < 10 ? 1 : 0)}`;

function operationFinding(report: DocumentStoreReport, operation: Operation): string {
  const measured = report.collections.map(({ result }) => ({
    size: result.size,
    ...result.latency[operation],
  }));
  const first = measured[0];
  const last = measured[measured.length - 1];
  const name = operationSubjects[operation];
  if (first === undefined || last === undefined) return `${name} was not measured.`;
  if (measured.length === 1) {
    return `${name} took ${ms(first.medianMs)} ms at ${formatNumber(first.size)} documents (median).`;
  }
  const medians = measured.map((figures) => figures.medianMs);
  const [fastest, slowest] = [Math.min(...medians), Math.max(...medians)];
  if (slowest - fastest <= sameWithin.ms || slowest <= sameWithin.factor * fastest) {
    const sizes = measured.map((figures) => formatNumber(figures.size));
    return (
      `${name} took about the same at every size: between ${ms(fastest)} and ${ms(slowest)} ms ` +
      `(medians at ${listed(sizes)} documents: ${listed(medians.map(ms))} ms).`
    );
  }
  return (
    `${name} took ${ms(first.medianMs)} ms at ${formatNumber(first.size)} documents and ` +
    `${ms(last.medianMs)} ms at ${formatNumber(last.size)} (${times(last.medianMs / first.medianMs)}; ` +
    `p90 ${ms(first.p90Ms)} and ${ms(last.p90Ms)} ms).`
  );
}

function planFindings(report: DocumentStoreReport): string[] {
  const lines = explainedQueries.map((query) => {
    const answers = report.collections.map(({ result }) => result.plans[query]);
    const plans = new Set(answers.map((answer) => answer.plan));
    const pushdowns = new Set(answers.map((answer) => String(answer.filterPushdown)));
    const label = explainedQueryLabels[query];
    if (plans.size !== 1 || pushdowns.size !== 1)
      return `${label} was explained differently by size (table above).`;
    const [answer] = answers;
    if (answer === undefined) return `${label} was not explained.`;
    const pushdown =
      answer.filterPushdown === undefined ? "" : ` with filterPushdown ${String(answer.filterPushdown)}`;
    return `\`explain\` of ${label} answered \`${answer.plan}\`${pushdown} at every size.`;
  });
  const mentionsIndex = report.collections.some(({ result }) =>
    explainedQueries.some((query) => /\bINDEX\b/i.test(result.plans[query].plan)),
  );
  if (!mentionsIndex) {
    lines.push(
      "None of these plans names an index, though `customerId` has one (`createIndex({customerId: 1})`).",
    );
  }
  return lines;
}

function cpuFinding(report: DocumentStoreReport): string[] {
  const largest = report.collections[report.collections.length - 1];
  if (largest === undefined) return [];
  const cores = formatCores(largest.result.cores);
  if (cores === "") return [];
  return [
    `While the operations at ${formatNumber(largest.result.size)} documents ran: ${cores} cores (one call in flight).`,
  ];
}

/** Restates the figures: each operation from the smallest size to the largest, the plans, the CPU. */
export function findings(report: DocumentStoreReport): string[] {
  return [
    ...operations.map((operation) => operationFinding(report, operation)),
    ...planFindings(report),
    ...cpuFinding(report),
  ];
}
