import { formatCores, formatNumber, markdownTable } from "../shared/format.js";
import { conditionsTable } from "../shared/run-conditions.js";
import type { DocumentStoreReport } from "./document-store-report.js";
import { findings } from "./findings.js";
import { identifiersPerCustomer } from "./identifier-documents.js";
import { explainedQueries, explainedQueryLabels, operationLabels, operations } from "./operations.js";

const documents = (size: number) => `${formatNumber(size)} docs`;
export const milliseconds = (ms: number) => formatNumber(ms, 1);

/** Rows = operation, columns = collection size; each cell "median / p90" in ms. */
export function latencyTable(report: DocumentStoreReport): string {
  const { collections } = report;
  return markdownTable(
    [
      `operation (${formatNumber(report.options.operations)} calls each), ms: median / p90`,
      ...collections.map(({ result }) => documents(result.size)),
    ],
    operations.map((operation) => [
      operationLabels[operation],
      ...collections.map(({ result }) => {
        const { medianMs, p90Ms } = result.latency[operation];
        return `${milliseconds(medianMs)} / ${milliseconds(p90Ms)}`;
      }),
    ]),
    ["---", ...collections.map(() => "---:")],
  );
}

/** How each collection was filled and what the machine did meanwhile. */
export function conditionsBySizeTable(report: DocumentStoreReport): string {
  const { collections } = report;
  return markdownTable(
    ["", ...collections.map(({ result }) => documents(result.size))],
    [
      [
        "fill: `insertMany` of 1,000 per call, s",
        ...collections.map(({ result }) => formatNumber(result.fillSeconds, 1)),
      ],
      ["load average (1 min) when the size started", ...collections.map(({ load }) => formatNumber(load, 2))],
      [
        "CPU while the operations ran, cores",
        ...collections.map(({ result }) => formatCores(result.cores) || "n/a"),
      ],
    ],
    ["---", ...collections.map(() => "---")],
  );
}

/** Each explained query's plan and filterPushdown, once for the sizes that answered the same. */
export function plansTable(report: DocumentStoreReport): string {
  const sizes = report.collections.map(({ result }) => result.size);
  const rows = explainedQueries.flatMap((query) => {
    const bySameAnswer = new Map<string, { plan: string; pushdown: string; sizes: number[] }>();
    for (const { result } of report.collections) {
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

export function documentStoreSection(report: DocumentStoreReport): string {
  const sizes = report.options.sizes.map((size) => formatNumber(size)).join(", ");
  const parameters =
    `sizes ${sizes} documents (a fresh database each); ` +
    `${formatNumber(report.options.operations)} calls of each operation per size; one run, so each figure ` +
    "summarises the calls of that run (it is not a median over repeated runs like the other sections' figures)";
  return `## Document store (FerretDB) by collection size

How long single document operations take on the MongoDB-wire server as the collection grows: the
operations identity's store makes on its \`identifiers\` collection, one call in flight, from the benchmark
process (\`bench/document-store/\`). For each size a fresh database gets one collection with
\`createIndex({customerId: 1})\`, filled by \`insertMany\` (1,000 per call) with documents shaped like
identity's identifiers, ${identifiersPerCustomer} per customer: \`{_id: "email:person123@example.com",
customerId: "cus_<24 hex>", linkedBy: {eventId, time}}\`. The server is asked to \`explain\` three finds,
5 unmeasured \`findOne({_id})\` calls warm up, then each operation is called ${formatNumber(report.options.operations)} times, one after the
other, on documents drawn uniformly (seeded) from those in the collection; every answer is checked (a
document found, one matched, one deleted, error 11000 for the duplicate). Each \`deleteOne({_id})\` is
followed by the measured \`insertOne\` of a new document, and each document deleted by
\`deleteOne({_id, customerId})\` is put back unmeasured, so the collection keeps its size (±1). The
\`updateOne\` sets \`customerId\`, as identity does when it re-points an identifier after a merge;
\`deleteOne({_id, customerId})\` is the filter identity withdraws a claim with. Latency is each call's
wall time in the benchmark process: the median, and the p90 by nearest rank.

${conditionsTable({ ...report, infra: `${report.infra}; buildInfo: ${report.serverVersion}` }, parameters)}

${latencyTable(report)}

${conditionsBySizeTable(report)}

${plansTable(report)}

### What this means

${findings(report)
  .map((line) => `- ${line}`)
  .join("\n")}
`;
}
