import { formatNumber } from "../shared/format.js";
import type { DocumentStoreReport } from "./document-store-report.js";
import { isUnfinished, type LatencyFigures } from "./latency-figures.js";
import {
  batchSize,
  documentsPerCall,
  type ExplainedQuery,
  explainedQueries,
  explainedQueryLabels,
  indexedQueries,
  type Operation,
  operationSpec,
  operations,
} from "./operations.js";

/**
 * Medians whose fastest and slowest size differ by at most a millisecond or this factor are said to be
 * flat (the same at every size); the figures and the ratio are stated either way. A scan of the
 * collection grows with it (×100 from 1,000 to 100,000 documents); an index lookup grows with the
 * depth of its B-tree, well within ×2.
 */
export const sameWithin = { ms: 1, factor: 2 };

const ms = (value: number) => formatNumber(value, value < 1 ? 2 : 1);
const documents = (size: number) => formatNumber(size);
/** "a, b and c" */
const listed = (items: readonly string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
const times = (ratio: number) => `×${formatNumber(ratio, ratio < 10 ? 1 : 0)}`;

type Measured = LatencyFigures & { size: number };

/** The operation's figures at each size where every call answered. */
function measured(report: DocumentStoreReport, operation: Operation): Measured[] {
  return report.collections.flatMap((result) => {
    const outcome = result.latency[operation];
    return isUnfinished(outcome) ? [] : [{ size: result.size, ...outcome }];
  });
}

/** Smallest and largest size measured, when the operation answered at every size and there are two. */
function ends(report: DocumentStoreReport, operation: Operation): [Measured, Measured] | undefined {
  const figures = measured(report, operation);
  const [first, last] = [figures[0], figures[figures.length - 1]];
  if (figures.length !== report.collections.length || first === undefined || last === undefined)
    return undefined;
  return figures.length < 2 ? undefined : [first, last];
}

export function isFlat(figures: readonly Measured[]): boolean {
  const medians = figures.map((figure) => figure.medianMs);
  const [fastest, slowest] = [Math.min(...medians), Math.max(...medians)];
  return slowest - fastest <= sameWithin.ms || slowest <= sameWithin.factor * fastest;
}

function operationFinding(report: DocumentStoreReport, operation: Operation): string {
  const name = operationSpec(operation).subject;
  const figures = measured(report, operation);
  const unanswered = report.collections.flatMap((result) => {
    const outcome = result.latency[operation];
    return isUnfinished(outcome) ? [{ size: result.size, ...outcome }] : [];
  });
  const perDocument = (figure: Measured) =>
    documentsPerCall(operation) > 1
      ? ` (${ms(figure.medianMs / documentsPerCall(operation))} ms a document)`
      : "";
  const parts: string[] = [];
  if (figures.length > 0) {
    const medians = figures.map(
      (figure, index) =>
        `${ms(figure.medianMs)} ms${perDocument(figure)} at ${documents(figure.size)}${index === 0 ? " documents" : ""}`,
    );
    const span = ends(report, operation);
    const ratio = span
      ? `; ${times(span[1].medianMs / span[0].medianMs)} from ${documents(span[0].size)} to ${documents(span[1].size)}, p90 ${ms(span[0].p90Ms)} and ${ms(span[1].p90Ms)} ms`
      : "";
    parts.push(`took ${listed(medians)} (median${ratio})`);
  }
  for (const { size, unfinishedAfterSeconds, callsBefore } of unanswered) {
    parts.push(
      `got no answer within ${formatNumber(unfinishedAfterSeconds)} s at ${documents(size)} documents ` +
        `(after ${formatNumber(callsBefore)} answered calls; nothing was measured after it on that database)`,
    );
  }
  return `${name} ${parts.join("; ")}.`;
}

/** Whether the operations by `_id` took the same at every size, with each one's ratio largest/smallest. */
function flatnessFinding(report: DocumentStoreReport): string[] {
  const sizes = report.collections.map((result) => result.size);
  const [smallest, largest] = [sizes[0], sizes[sizes.length - 1]];
  if (smallest === undefined || largest === undefined || sizes.length < 2) return [];
  const byId = operations.filter((operation) => operationSpec(operation).byId);
  const ratios = byId.map((operation) => {
    const span = ends(report, operation);
    return {
      operation,
      flat: span !== undefined && isFlat(measured(report, operation)),
      text: span
        ? `${operationSpec(operation).subject} ${times(span[1].medianMs / span[0].medianMs)}`
        : `${operationSpec(operation).subject} not answered at every size`,
    };
  });
  const range = `From ${documents(smallest)} to ${documents(largest)} documents (${times(largest / smallest)} the documents)`;
  const criterion = `medians within ×${sameWithin.factor} or ${sameWithin.ms} ms of each other at every size`;
  if (ratios.every((ratio) => ratio.flat)) {
    return [
      `${range} every operation by \`_id\` stayed flat (${criterion}); the median at ` +
        `${documents(largest)} over the median at ${documents(smallest)}: ${listed(ratios.map((ratio) => ratio.text))}.`,
    ];
  }
  const grown = ratios.filter((ratio) => !ratio.flat).map((ratio) => ratio.text);
  const flat = ratios.filter((ratio) => ratio.flat).map((ratio) => ratio.text);
  return [
    `${range} not every operation by \`_id\` stayed flat (${criterion}): ${listed(grown)} did not` +
      (flat.length > 0 ? `; ${listed(flat)} did.` : "."),
  ];
}

const searchesIndex = (plan: string) => /\bSEARCH\b.*\bUSING\b.*\bINDEX\b/.test(plan);

function planLine(report: DocumentStoreReport, query: ExplainedQuery): string {
  const answers = report.collections.map((result) => result.plans[query]);
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
}

function planFindings(report: DocumentStoreReport): string[] {
  const usesIndex = (query: ExplainedQuery) =>
    report.collections.every((result) => {
      const { plan, filterPushdown } = result.plans[query];
      return searchesIndex(plan) && filterPushdown !== false;
    });
  const served = indexedQueries.filter(usesIndex);
  const lines: string[] = [];
  if (served.length > 0) {
    lines.push(
      `${listed(served.map((query) => explainedQueryLabels[query]))} ${served.length > 1 ? "were" : "was"} answered ` +
        "from the `_id` index at every size (SQLite's plan `SEARCH … USING INDEX …`, filterPushdown true).",
    );
  }
  const others = explainedQueries.filter((query) => !served.includes(query));
  lines.push(...others.map((query) => planLine(report, query)));
  const customerIndexUsed = report.collections.some((result) =>
    /\bUSING\b.*\bINDEX\b/.test(result.plans.byCustomer.plan),
  );
  if (!customerIndexUsed) {
    lines.push(
      "No plan uses the `customerId` index (`createIndex({customerId: 1})`): a filter on any other field " +
        "than `_id`, or on `_id` and another field, reads the whole collection and FerretDB filters it itself.",
    );
  }
  return lines;
}

/** What the figures mean for the services, stated only when the figures show it. */
function conclusion(report: DocumentStoreReport): string[] {
  const largest = report.collections[report.collections.length - 1];
  const byId = operations.filter((operation) => operationSpec(operation).byId);
  const allFlat = byId.every(
    (operation) => ends(report, operation) !== undefined && isFlat(measured(report, operation)),
  );
  if (largest === undefined || report.collections.length < 2 || !allFlat) return [];
  const single = largest.latency.findById;
  const batch = largest.latency.findByIdIn;
  const scan = ends(report, "findByCustomer");
  if (isUnfinished(single) || isUnfinished(batch)) return [];
  const size = documents(largest.size);
  return [
    `So the services can read, update, replace and delete by \`_id\`, one document at a time or ${batchSize} at a ` +
      `time (\`$in\`, \`bulkWrite\`), at about the same cost at ${size} documents as at ` +
      `${documents(report.collections[0]?.size ?? 0)}; in a batch a document costs less than alone ` +
      `(\`$in\` ${ms(batch.medianMs / batchSize)} ms a document against ${ms(single.medianMs)} ms for a \`findOne\` at ${size}).` +
      (scan
        ? ` A filter the index cannot serve grows with the collection instead (\`findOne({customerId})\` ` +
          `${times(scan[1].medianMs / scan[0].medianMs)}).`
        : ""),
  ];
}

/** Restates the figures: flatness by `_id`, each operation from the smallest size to the largest, the plans. */
export function findings(report: DocumentStoreReport): string[] {
  return [
    ...flatnessFinding(report),
    ...operations.map((operation) => operationFinding(report, operation)),
    ...planFindings(report),
    ...conclusion(report),
  ];
}
