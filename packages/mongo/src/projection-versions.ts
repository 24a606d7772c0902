import { type Db, MongoServerError } from "mongodb";

/**
 * Which build of a service's projections serves: the database it lives in and the consumer group
 * that keeps it current. Version 1 is the service's configured database and group; a replay builds
 * version n+1 beside it and activates it when it has caught up, and every running instance
 * switches to it without a restart.
 */
export type ProjectionVersion = { version: number; database: string; consumerGroup: string };

type ActiveVersionDocument = ProjectionVersion & { _id: "active"; activatedAt: Date };

export function firstProjectionVersion(database: string, consumerGroup: string): ProjectionVersion {
  return { version: 1, database, consumerGroup };
}

/** The version after `current`, named after the base database and group. */
export function nextProjectionVersion(
  base: ProjectionVersion,
  current: ProjectionVersion,
): ProjectionVersion {
  const version = current.version + 1;
  return {
    version,
    database: `${base.database}_v${version}`,
    consumerGroup: `${base.consumerGroup}-v${version}`,
  };
}

/** The pointer to the active version, kept in the base database. */
export function createProjectionVersions(baseDb: Db, base: ProjectionVersion) {
  const pointers = baseDb.collection<ActiveVersionDocument>("projection_versions");
  return {
    async active(): Promise<ProjectionVersion> {
      const pointer = await pointers.findOne({ _id: "active" });
      return pointer
        ? { version: pointer.version, database: pointer.database, consumerGroup: pointer.consumerGroup }
        : base;
    },

    /**
     * Makes `next` the active version. Inserting under its version number is atomic, so of two
     * replays racing only one activates; the pointer is then rewritten to name it.
     */
    async activate(next: ProjectionVersion, activatedAt: Date): Promise<void> {
      const claims = baseDb.collection<{ _id: number; database: string }>("projection_version_claims");
      try {
        await claims.insertOne({ _id: next.version, database: next.database });
      } catch (error) {
        if (error instanceof MongoServerError && error.code === 11000)
          throw new Error(`projection version ${next.version} was already activated by another replay`);
        throw error;
      }
      await pointers.replaceOne({ _id: "active" }, { ...next, activatedAt }, { upsert: true });
    },
  };
}

export type ProjectionVersions = ReturnType<typeof createProjectionVersions>;
