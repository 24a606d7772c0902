/** Documents named by one call of a batch operation (ids in `$in`, updates in a bulkWrite, inserts). */
export const batchSize = 500;

/**
 * How often an operation is called at each size: `single` ops `--ops` times, `scan` ops (filters the
 * server cannot hand to an index) `--scan-ops` times, `batch` ops (`batchSize` documents a call)
 * `--batch-ops` times.
 */
export type OperationKind = "single" | "scan" | "batch";

type OperationSpec = {
  kind: OperationKind;
  /** Filtered by `_id` alone: the operations the services rely on, which must not grow with the collection. */
  byId: boolean;
  /** In the tables: the driver call. */
  label: string;
  /** In progress lines. */
  name: string;
  /** As the subject of a sentence in the section. */
  subject: string;
};

/** The operations measured, in the order they run and are reported. The bulkWrite runs last (see below). */
const specs = {
  findById: {
    kind: "single",
    byId: true,
    label: "`findOne({_id})`",
    name: "findOne by _id",
    subject: "`findOne({_id})`",
  },
  updateById: {
    kind: "single",
    byId: true,
    label: "`updateOne({_id}, {$set: {customerId}})`",
    name: "updateOne by _id",
    subject: "`updateOne({_id}, {$set})`",
  },
  replaceById: {
    kind: "single",
    byId: true,
    label: "`replaceOne({_id}, document)`",
    name: "replaceOne by _id",
    subject: "`replaceOne({_id})`",
  },
  insertNew: {
    kind: "single",
    byId: false,
    label: "`insertOne` (new `_id`)",
    name: "an insert of a new _id",
    subject: "`insertOne` of a new `_id`",
  },
  insertDuplicate: {
    kind: "single",
    byId: false,
    label: "`insertOne` (duplicate `_id`, error 11000)",
    name: "a duplicate-key insert",
    subject: "`insertOne` of a duplicate `_id`",
  },
  deleteById: {
    kind: "single",
    byId: true,
    label: "`deleteOne({_id})`",
    name: "deleteOne by _id",
    subject: "`deleteOne({_id})`",
  },
  findByCustomer: {
    kind: "scan",
    byId: false,
    label: "`findOne({customerId})` (indexed field)",
    name: "findOne by customerId",
    subject: "`findOne({customerId})`",
  },
  deleteByIdAndCustomer: {
    kind: "scan",
    byId: false,
    label: "`deleteOne({_id, customerId})`",
    name: "deleteOne by _id and customerId",
    subject: "`deleteOne({_id, customerId})`",
  },
  findByIdIn: {
    kind: "batch",
    byId: true,
    label: `\`find({_id: {$in: [${batchSize} ids]}})\``,
    name: `find by _id $in of ${batchSize}`,
    subject: `\`find({_id: {$in}})\` of ${batchSize} ids`,
  },
  deleteManyByIdIn: {
    kind: "batch",
    byId: true,
    label: `\`deleteMany({_id: {$in: [${batchSize} ids]}})\``,
    name: `deleteMany by _id $in of ${batchSize}`,
    subject: `\`deleteMany({_id: {$in}})\` of ${batchSize} ids`,
  },
  insertMany: {
    kind: "batch",
    byId: false,
    label: `\`insertMany\` of ${batchSize} new documents`,
    name: `insertMany of ${batchSize}`,
    subject: `\`insertMany\` of ${batchSize} documents`,
  },
  // Last at each size: on a server that wedges on it (stock FerretDB 1.24.2, from 100 updates in one
  // command) it is reported as not finished, and nothing else is measured on that database afterwards.
  bulkWriteUpdates: {
    kind: "batch",
    byId: true,
    label: `\`bulkWrite\` of ${batchSize} \`updateOne({_id}, {$set})\``,
    name: `bulkWrite of ${batchSize} updateOne by _id`,
    subject: `\`bulkWrite\` of ${batchSize} \`updateOne({_id})\``,
  },
} as const satisfies Record<string, OperationSpec>;

export type Operation = keyof typeof specs;
export const operations = Object.keys(specs) as Operation[];

export function operationSpec(operation: Operation): OperationSpec {
  return specs[operation];
}

/** Documents one call of the operation names: 1, or `batchSize` for a batch operation. */
export function documentsPerCall(operation: Operation): number {
  return specs[operation].kind === "batch" ? batchSize : 1;
}

/** The queries whose plans the server is asked to explain. */
export const explainedQueries = ["byId", "byIdIn", "byIdInMixed", "byCustomer", "byIdAndCustomer"] as const;
export type ExplainedQuery = (typeof explainedQueries)[number];

export const explainedQueryLabels: Record<ExplainedQuery, string> = {
  byId: "`find({_id})`",
  byIdIn: `\`find({_id: {$in: [${batchSize} ids]}})\``,
  byIdInMixed: `\`find({_id: {$in: [${batchSize} ids, 42]}})\` (a number among the strings)`,
  byCustomer: "`find({customerId})`",
  byIdAndCustomer: "`find({_id, customerId})`",
};

/** The explained queries by `_id` alone whose plans are expected to use the `_id` index. */
export const indexedQueries: readonly ExplainedQuery[] = ["byId", "byIdIn"];
