/** The operations measured, in the order they run and are reported. */
export const operations = [
  "findById",
  "findByCustomer",
  "updateById",
  "insertNew",
  "insertDuplicate",
  "deleteById",
  "deleteByIdAndCustomer",
] as const;
export type Operation = (typeof operations)[number];

/** Each operation as the driver call it is. */
export const operationLabels: Record<Operation, string> = {
  findById: "`findOne({_id})`",
  findByCustomer: "`findOne({customerId})` (indexed)",
  updateById: "`updateOne({_id}, {$set: {customerId}})`",
  insertNew: "`insertOne` (new `_id`)",
  insertDuplicate: "`insertOne` (duplicate `_id`, error 11000)",
  deleteById: "`deleteOne({_id})`",
  deleteByIdAndCustomer: "`deleteOne({_id, customerId})`",
};

/** The same in progress lines, e.g. "findOne by _id". */
export const operationNames: Record<Operation, string> = {
  findById: "findOne by _id",
  findByCustomer: "findOne by customerId",
  updateById: "updateOne by _id",
  insertNew: "an insert of a new _id",
  insertDuplicate: "a duplicate-key insert",
  deleteById: "deleteOne by _id",
  deleteByIdAndCustomer: "deleteOne by _id and customerId",
};

/** The same as the subject of a sentence in the section. */
export const operationSubjects: Record<Operation, string> = {
  findById: "`findOne({_id})`",
  findByCustomer: "`findOne({customerId})`",
  updateById: "`updateOne({_id}, {$set})`",
  insertNew: "`insertOne` of a new `_id`",
  insertDuplicate: "`insertOne` of a duplicate `_id`",
  deleteById: "`deleteOne({_id})`",
  deleteByIdAndCustomer: "`deleteOne({_id, customerId})`",
};

/** The queries whose plans FerretDB is asked to explain. */
export const explainedQueries = ["byId", "byCustomer", "byIdAndCustomer"] as const;
export type ExplainedQuery = (typeof explainedQueries)[number];

export const explainedQueryLabels: Record<ExplainedQuery, string> = {
  byId: "`find({_id})`",
  byCustomer: "`find({customerId})`",
  byIdAndCustomer: "`find({_id, customerId})`",
};
