import { formatNumber, markdownTable } from "../shared/format.js";
import type { DocumentShape } from "./document-shapes.js";
import { batchSize } from "./operations.js";
import type { ShapeFigures } from "./shape-figures.js";
import { type ShapeMeasurement, type ShapeOperation, shapeOperations } from "./shape-measurement.js";

const shapeOperationLabels: Record<ShapeOperation, string> = {
  insertMany: `\`insertMany\` of ${batchSize} new customers`,
  findByIdIn: `\`find({_id: {$in: [${batchSize} ids]}})\``,
  bulkWriteReplace: `\`bulkWrite\` of ${batchSize} \`replaceOne({_id}, customer, {upsert: true})\``,
};

/** As the object of "to …" in a sentence. */
const shapeOperationPurposes: Record<ShapeOperation, string> = {
  insertMany: "insert",
  findByIdIn: "read by `_id` `$in`",
  bulkWriteReplace: "replace",
};

const ms = (value: number) => formatNumber(value, 3);
const times = (ratio: number) => `×${formatNumber(ratio, 1)}`;
const listed = (items: readonly string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

type PerDocument = (figures: ShapeFigures) => number | undefined;
const wallMs: PerDocument = (figures) => figures.medianMsPerDocument;
const cpuMs: PerDocument = (figures) => figures.cpuMsPerDocument;

/** The operation's figure nested and as one text field, and nested ÷ text; undefined where not measured. */
function compared(shapes: ShapeMeasurement, operation: ShapeOperation, of: PerDocument) {
  const nested = of(shapes.figures.nested[operation]);
  const jsonText = of(shapes.figures.jsonText[operation]);
  if (nested === undefined || jsonText === undefined) return undefined;
  return { nested, jsonText, ratio: nested / jsonText };
}

function comparedCells(shapes: ShapeMeasurement, operation: ShapeOperation, of: PerDocument): string[] {
  const figures = compared(shapes, operation, of);
  return figures === undefined
    ? ["n/a", "n/a", "n/a"]
    : [ms(figures.nested), ms(figures.jsonText), times(figures.ratio)];
}

/**
 * Rows = operation; per document, the median call's wall time in each shape and, when FerretDB's CPU
 * was read, its CPU time in each shape, each with the nested shape's figure over the text field's.
 */
export function shapeTable(shapes: ShapeMeasurement): string {
  const columns = (what: string) => [`${what}, nested`, `${what}, JSON text`, "nested ÷ text"];
  const header = [
    `ms per document (wall: median call ÷ ${batchSize}; CPU: all calls ÷ their customers)`,
    "calls",
    ...columns("wall"),
    ...(shapes.cpuRead ? columns("FerretDB CPU") : []),
  ];
  const rows = shapeOperations.map((operation) => [
    shapeOperationLabels[operation],
    formatNumber(shapes.figures.nested[operation].calls),
    ...comparedCells(shapes, operation, wallMs),
    ...(shapes.cpuRead ? comparedCells(shapes, operation, cpuMs) : []),
  ]);
  return markdownTable(header, rows, ["---", ...header.slice(1).map(() => "---:")]);
}

const bytes = (value: number) => formatNumber(Math.round(value));

/** What a customer is in each shape, and how long the collections took to fill. */
export function shapeSizesLine(shapes: ShapeMeasurement): string {
  const { customer, fillSeconds } = shapes;
  const shape = (name: DocumentShape) =>
    `${formatNumber(customer.fields[name])} values in ${bytes(customer.bsonBytes[name])} bytes of BSON`;
  return (
    `A customer is ${bytes(customer.jsonBytes)} bytes of JSON on average: nested, ${shape("nested")}; ` +
    `as \`{_id, status, state}\`, ${shape("jsonText")} (values: the fields of every embedded document and ` +
    `the elements of every array, at any depth). Filling ${formatNumber(shapes.size)} customers ` +
    `(\`insertMany\` of 1,000 a call, the shapes in turn) took ${formatNumber(fillSeconds.nested, 1)} s ` +
    `nested and ${formatNumber(fillSeconds.jsonText, 1)} s as one JSON text field.`
  );
}

/** The machine's load while the shapes were measured, and whose CPU time the table gives. */
export function shapesWhileMeasured(shapes: ShapeMeasurement): string {
  const load =
    `While the shapes were measured: load average (1 min) ${formatNumber(shapes.load.min, 2)} – ` +
    `${formatNumber(shapes.load.max, 2)}, read before each operation and after the last`;
  if (shapes.cpuMs === undefined) {
    return (
      `${load}. FerretDB's CPU time was not read: MONGODB_URI named a server this benchmark did not ` +
      "start, so the table gives wall time only."
    );
  }
  const { inCalls, betweenCalls } = shapes.cpuMs;
  const share = inCalls + betweenCalls > 0 ? betweenCalls / (inCalls + betweenCalls) : 0;
  return (
    `${load}. FerretDB's CPU time: ${formatNumber(inCalls / 1_000, 1)} s within the calls (the unmeasured ` +
    `clean-up deletes included), ${formatNumber(betweenCalls / 1_000, 1)} s ` +
    `(${formatNumber(share * 100, 0)} %) between them. The table counts what fell within a call: work ` +
    "left over when a call is answered falls between calls or into the next call, which may be of the " +
    "other shape."
  );
}

/** What the figures say about the shapes, stated only as far as they show it. */
export function shapeFindings(shapes: ShapeMeasurement): string[] {
  const { customer } = shapes;
  const textShape =
    `as one JSON text field beside \`_id\` and \`status\` (${formatNumber(customer.fields.jsonText)} values ` +
    `against ${formatNumber(customer.fields.nested)}, ${bytes(customer.bsonBytes.jsonText)} bytes of BSON ` +
    `against ${bytes(customer.bsonBytes.nested)})`;
  const each = (of: PerDocument) =>
    shapeOperations.flatMap((operation) => {
      const figures = compared(shapes, operation, of);
      return figures === undefined ? [] : [{ operation, ...figures }];
    });
  const phrase = (figure: ReturnType<typeof each>[number]) =>
    `${times(figure.ratio)} as much to ${shapeOperationPurposes[figure.operation]} (${ms(figure.nested)} ` +
    `against ${ms(figure.jsonText)} ms a document)`;
  const lines: string[] = [];

  const cpu = each(cpuMs);
  if (shapes.cpuRead && cpu.length === shapeOperations.length) {
    if (cpu.every((figure) => figure.ratio > 1)) {
      lines.push(
        `FerretDB's work grows with the number of fields, not only with the bytes: the same customer ` +
          `${textShape} cost FerretDB less CPU time: nested fields took ${listed(cpu.map(phrase))}.`,
      );
    } else {
      lines.push(
        `The same customer ${textShape} did not cost FerretDB less CPU time for every operation: nested ` +
          `fields took ${listed(cpu.map(phrase))}.`,
      );
    }
  }
  const wall = each(wallMs);
  lines.push(
    "In wall time from the benchmark process (the driver's encoding and decoding included; median call), " +
      `nested fields took ${listed(wall.map(phrase))}.`,
  );
  const cheaper = shapes.cpuRead ? cpu : wall;
  if (cheaper.length === shapeOperations.length && cheaper.every((figure) => figure.ratio > 1)) {
    lines.push(
      "So keep what no read filters on as one JSON text field, and the fields reads filter on beside it " +
        '(as identity stores its customers and decisions: services/identity/README.md, "MongoDB collections").',
    );
  }
  return lines;
}

/** The subsection of the document store section on document shape. */
export function shapeSubsection(shapes: ShapeMeasurement): string {
  const size = formatNumber(shapes.size);
  const calls = formatNumber(shapes.figures.nested.insertMany.calls);
  const cpu = shapes.cpuRead
    ? "FerretDB's CPU time is its process's user and system time\n(`/proc/<pid>/stat`, in ticks of 10 ms) " +
      "read before and after every call, summed over the calls and divided by\nthe customers they named."
    : "FerretDB's CPU time is not reported: the server was not one this benchmark\nstarted.";
  return `### Document shape: nested fields or one JSON text field

The same customers stored two ways, each in a fresh database with one collection of ${size}, indexed on
\`_id\` only: (a) nested fields, as identity stored them before (\`CustomerDocument\` in
\`services/identity/src/adapters/customer-documents.ts\`): \`{_id: "cus_<24 hex>", firstSeen: {time,
eventId}, identifiers: {customer_number: [..], email: [..], phone: [..]}, status: "active", goldenRecord:
{preferences: [], firstName: {value, lineage: {source, eventId, time}}, lastName: {…}, email: {…}, phone:
{…}}}\` (\`bench/document-store/customer-documents.ts\`); (b) \`{_id, status, state}\`, the rest as one JSON
text field \`state\`, as identity stores them now (\`StoredCustomer\`). Each call names ${batchSize} customers,
the same ones in both shapes: an \`insertMany\` of new customers (deleted again unmeasured, so the
collection keeps its size), a \`find({_id: {$in}})\` of customers drawn uniformly (seeded), and an ordered
\`bulkWrite\` of \`replaceOne({_id}, customer, {upsert: true})\` writing each drawn customer's next revision
(its phone's lineage names a later call); every answer is checked. ${calls} calls of each operation on each
shape, one call in flight, after 2 unmeasured \`$in\` calls on each; the shapes alternate call by call,
and which goes first swaps every call, so that the shared machine's changing load weighs on both alike.
Wall time per document is the median call's divided by ${batchSize}. ${cpu}

${shapeTable(shapes)}

${shapeSizesLine(shapes)}

${shapesWhileMeasured(shapes)}

#### What this means

${shapeFindings(shapes)
  .map((line) => `- ${line}`)
  .join("\n")}`;
}
