export {
  type BucketedCollections,
  BucketLayoutMismatch,
  bucketCollectionNames,
  bucketLayoutsCollection,
  bucketOf,
  maxBuckets,
  openBucketedCollections,
  openServiceCollections,
  type ServiceBucketSettings,
} from "./bucketed-collections.js";
export {
  bulkWriteByIds,
  chunksOf,
  findByIds,
  idsPerCommand,
  insertMissingByIds,
  type KindCollections,
} from "./by-ids.js";
export { connectMongo, type MongoConnection, type MongoConnectOptions } from "./connect.js";
export { compareIds, pageInIdOrder } from "./id-order.js";
export { ensureIndexes, type IndexDeclaration } from "./indexes.js";
export { insertMissing } from "./insert-missing.js";
export {
  createProjectionVersions,
  firstProjectionVersion,
  nextProjectionVersion,
  type ProjectionVersion,
  type ProjectionVersions,
} from "./projection-versions.js";
export { countStoreCommands } from "./store-command-metrics.js";
