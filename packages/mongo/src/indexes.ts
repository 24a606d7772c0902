import type { CreateIndexesOptions, Db, IndexSpecification } from "mongodb";

/** An index a repository needs, declared next to the repository. */
export type IndexDeclaration = {
  collection: string;
  keys: IndexSpecification;
  options?: CreateIndexesOptions & { name: string };
};

/**
 * Creates the declared indexes; creating an index that exists is a no-op. FerretDB 1.x serves no
 * filter but one on `_id` from an index (on SQLite it never pushes another field down; on PostgreSQL
 * its indexes do not match its filters, FerretDB issue #4646), so there a secondary index would only
 * make every write slower: none is created.
 */
export async function ensureIndexes(db: Db, declarations: readonly IndexDeclaration[]): Promise<void> {
  if (declarations.length === 0 || (await isFerretdbV1(db))) return;
  for (const { collection, keys, options } of declarations) {
    await db.collection(collection).createIndex(keys, options);
  }
}

/** Whether the server is FerretDB 1.x (its buildInfo names its own version beside the MongoDB one). */
export async function isFerretdbV1(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === "string" && info.ferretdbVersion.startsWith("v1.");
}
