import type { CreateIndexesOptions, Db, IndexSpecification } from "mongodb";

/** An index a repository needs, declared next to the repository. */
export type IndexDeclaration = {
  collection: string;
  keys: IndexSpecification;
  options?: CreateIndexesOptions & { name: string };
};

/** Creates the declared indexes; creating an index that exists is a no-op. */
export async function ensureIndexes(db: Db, declarations: readonly IndexDeclaration[]): Promise<void> {
  for (const { collection, keys, options } of declarations) {
    await db.collection(collection).createIndex(keys, options);
  }
}
