export { connectMongo, type MongoConnection } from "./connect.js";
export { ensureIndexes, type IndexDeclaration } from "./indexes.js";
