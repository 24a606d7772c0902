import { formatCores, formatNumber, markdownTable } from "../shared/format.js";
import { conditionsTable } from "../shared/run-conditions.js";
import type { DocumentStoreReport } from "./document-store-report.js";
import { findings } from "./findings.js";
import { identifiersPerCustomer } from "./identifier-documents.js";
import { isUnfinished, type OperationOutcome } from "./latency-figures.js";
import {
  batchSize,
  documentsPerCall,
  explainedQueries,
  explainedQueryLabels,
  type Operation,
  operationSpec,
  operations,
} from "./operations.js";
import type { DocumentStoreBenchOptions } from "./options.js";
import { shapeSubsection, shapeTable } from "./shape-report.js";

const documents = (size: number) => `${formatNumber(size)} docs`;
export const milliseconds = (ms: number) => formatNumber(ms, ms < 1 ? 2 : 1);

/** Measured calls of an operation at each size, as the options ask. */
export function callsOf(options: DocumentStoreBenchOptions, operation: Operation): number {
  const { kind } = operationSpec(operation);
  if (kind === "scan") return options.scanOperations;
  return kind === "batch" ? options.batchOperations : options.operations;
}

function latencyCell(outcome: OperationOutcome): string {
  if (isUnfinished(outcome)) return `no answer in ${formatNumber(outcome.unfinishedAfterSeconds)} s`;
  return `${milliseconds(outcome.medianMs)} / ${milliseconds(outcome.p90Ms)}`;
}

/** Rows = operation, columns = collection size; each cell "median / p90" in ms. */
export function latencyTable(report: DocumentStoreReport): string {
  const { collections } = report;
  return markdownTable(
    ["operation, ms a call: median / p90", "calls", ...collections.map((result) => documents(result.size))],
    operations.map((operation) => [
      operationSpec(operation).label,
      formatNumber(callsOf(report.options, operation)),
      ...collections.map((result) => latencyCell(result.latency[operation])),
    ]),
    ["---", "---:", ...collections.map(() => "---:")],
  );
}

/** The batch operations and the fill, in ms per document (the median call over the documents it names). */
export function perDocumentTable(report: DocumentStoreReport): string {
  const { collections } = report;
  const batches = operations.filter((operation) => documentsPerCall(operation) > 1);
  return markdownTable(
    [`ms per document (median call ÷ ${batchSize})`, ...collections.map((result) => documents(result.size))],
    [
      ...batches.map((operation) => [
        operationSpec(operation).label,
        ...collections.map((result) => {
          const outcome = result.latency[operation];
          return isUnfinished(outcome)
            ? "n/a"
            : formatNumber(outcome.medianMs / documentsPerCall(operation), 3);
        }),
      ]),
      [
        "fill: `insertMany` of 1,000 per call (all calls)",
        ...collections.map((result) => formatNumber((result.fillSeconds * 1_000) / result.size, 3)),
      ],
    ],
    ["---", ...collections.map(() => "---:")],
  );
}

/** How long each collection took to fill. */
export function fillTable(report: DocumentStoreReport): string {
  const { collections } = report;
  return markdownTable(
    ["", ...collections.map((result) => documents(result.size))],
    [
      [
        "fill: `insertMany` of 1,000 per call, s",
        ...collections.map((result) => formatNumber(result.fillSeconds, 1)),
      ],
    ],
    ["---", ...collections.map(() => "---:")],
  );
}

/** What the machine did while the operations ran: the sizes were measured in turn, so one figure for all. */
export function whileMeasured(report: DocumentStoreReport): string {
  const cores = formatCores(report.cores);
  return (
    `While the operations ran (every size in turn): load average (1 min) ${formatNumber(report.load.min, 2)} – ` +
    `${formatNumber(report.load.max, 2)}, read before each operation and after the last` +
    (cores === "" ? "." : `; CPU ${cores} cores.`)
  );
}

/** Each explained query's plan and filterPushdown, once for the sizes that answered the same. */
export function plansTable(report: DocumentStoreReport): string {
  const sizes = report.collections.map((result) => result.size);
  const rows = explainedQueries.flatMap((query) => {
    const bySameAnswer = new Map<string, { plan: string; pushdown: string; sizes: number[] }>();
    for (const result of report.collections) {
      const { plan, filterPushdown } = result.plans[query];
      const pushdown = filterPushdown === undefined ? "n/a" : String(filterPushdown);
      const key = `${plan}\u0000${pushdown}`;
      const same = bySameAnswer.get(key) ?? { plan, pushdown, sizes: [] };
      same.sizes.push(result.size);
      bySameAnswer.set(key, same);
    }
    return [...bySameAnswer.values()].map((answer) => [
      explainedQueryLabels[query],
      answer.sizes.length === sizes.length
        ? "every size"
        : answer.sizes.map((size) => formatNumber(size)).join(", "),
      `\`${answer.plan}\``,
      answer.pushdown,
    ]);
  });
  return markdownTable(["query", "sizes", "plan (`explain().queryPlanner`)", "filterPushdown"], rows, [
    "---",
    "---",
    "---",
    "---",
  ]);
}

/** What the benchmark prints on stdout: every table of the section, without its prose. */
export function resultTables(report: DocumentStoreReport): string {
  const tables = [latencyTable(report), perDocumentTable(report), plansTable(report)];
  if (report.shapes) tables.push(shapeTable(report.shapes));
  return tables.join("\n\n");
}

export function documentStoreSection(report: DocumentStoreReport): string {
  const { options } = report;
  const sizes = options.sizes.map((size) => formatNumber(size)).join(", ");
  const shapes = options.shapes
    ? `document shape: ${formatNumber(options.shapes.size)} customers in each shape (a fresh database ` +
      `each), ${formatNumber(options.shapes.operations)} calls of each operation on ${batchSize} customers ` +
      "on each shape"
    : "document shape not measured (`--no-shapes`)";
  const parameters =
    `sizes ${sizes} documents (a fresh database each); per size ${formatNumber(options.operations)} calls of ` +
    `each single-document operation, ${formatNumber(options.batchOperations)} of each batch of ${batchSize}, ` +
    `${formatNumber(options.scanOperations)} of each filter not served by an index; ${shapes}; timeout ` +
    `${formatNumber(options.timeoutSeconds)} s a call; one run, so each figure summarises the calls of that ` +
    "run (it is not a median over repeated runs like the other sections' figures)";
  return `## Document store (FerretDB) by collection size

How long document operations take on the MongoDB-wire server as the collection grows, one call in
flight, from the benchmark process (\`bench/document-store/\`): the operations by \`_id\` the services
rely on, one document at a time and ${batchSize} at a time, the inserts, and two filters no index serves;
then, at one size, the same customers stored as nested fields and as one JSON text field ("Document
shape" below).
Each size gets a fresh database with one collection, \`createIndex({customerId: 1})\`, filled by
\`insertMany\` (1,000 per call) with documents shaped like identity's identifiers, ${identifiersPerCustomer} per
customer: \`{_id: "email:person123@example.com", customerId: "cus_<24 hex>", linkedBy: {eventId, time}}\`.
The server is asked to \`explain\` five finds on each, 5 unmeasured \`findOne({_id})\` calls warm up,
then each operation is called in turn, one call after the other, alternating between the sizes call by
call (so that the shared machine's load, which changes within minutes, weighs on every size alike), on
documents drawn uniformly (seeded) from those in the collection (a batch: ${batchSize} distinct ones); every
answer is checked (the document found, every document matched, deleted or inserted, error 11000 for the
duplicate). Each \`deleteOne({_id})\` is followed by the measured \`insertOne\` of a new document, each
\`deleteMany\` by the measured \`insertMany\` of as many new ones, and each document deleted by
\`deleteOne({_id, customerId})\` is put back unmeasured, so the collection keeps its size. The updates
set \`customerId\`, as identity does when it re-points an identifier after a merge;
\`deleteOne({_id, customerId})\` is the filter identity withdraws a claim with. The \`bulkWrite\`
(ordered: one \`update\` command) runs last: a call with no answer within the timeout is reported as
such. Latency is each call's wall time in the benchmark process: the median, and the p90 by nearest rank.

${conditionsTable({ ...report, infra: `${report.infra}; buildInfo: ${report.serverVersion}` }, parameters)}

${latencyTable(report)}

${perDocumentTable(report)}

${fillTable(report)}

${whileMeasured(report)}

${plansTable(report)}

### What this means

${findings(report)
  .map((line) => `- ${line}`)
  .join("\n")}
${report.shapes ? `\n${shapeSubsection(report.shapes)}\n` : ""}`;
}
