import {
  createProjectionVersions,
  firstProjectionVersion,
  type MongoConnection,
  type ProjectionVersion,
} from "@rapport/mongo";
import type { Logger } from "@rapport/telemetry";
import type { Db } from "mongodb";
import { type IdentityConfig, identityRulesOf } from "../config.js";
import { createGraphCache } from "./graph-cache.js";
import { createGraphWriter, type GraphWriter } from "./graph-writer.js";
import { createIdentityStore, type IdentityStore } from "./identity-store.js";
import { createMatchStore, type MatchStore } from "./match-store.js";
import { createProbabilisticMatcher, type ProbabilisticMatcher } from "./probabilistic-matcher.js";

/** One build of identity's graph: its database, and what decides and answers on it. */
export type IdentityVersion = {
  version: ProjectionVersion;
  store: IdentityStore;
  matches: MatchStore;
  matcher: ProbabilisticMatcher;
  writer: GraphWriter;
};

/**
 * Which build of the graph serves. Version 1 is IDENTITY_DATABASE; a replay builds the next one in
 * `<IDENTITY_DATABASE>_v<n>`. The consumer group stays the configured one: the same deciders go on
 * from where they stopped, on the new build.
 */
export function identityVersions(
  baseDb: Db,
  config: Pick<IdentityConfig, "IDENTITY_DATABASE" | "IDENTITY_CONSUMER_GROUP">,
) {
  const base = firstProjectionVersion(config.IDENTITY_DATABASE, config.IDENTITY_CONSUMER_GROUP);
  return {
    ...createProjectionVersions(baseDb, base),
    next: (current: ProjectionVersion): ProjectionVersion => ({
      version: current.version + 1,
      database: `${base.database}_v${current.version + 1}`,
      consumerGroup: base.consumerGroup,
    }),
  };
}

export type IdentityVersions = ReturnType<typeof identityVersions>;

/** The match store of a build of the graph: its blocking index, review queue and fitted model. */
export function openMatchStore(
  db: Db,
  config: Pick<IdentityConfig, "IDENTITY_STORE_BUCKETS">,
): Promise<MatchStore> {
  return createMatchStore(db, { buckets: config.IDENTITY_STORE_BUCKETS });
}

/**
 * Opens a build of the graph (creating its collections and indexes) with its fitted match model, and
 * its writer. Only the instance holding the writer's lease resolves events and changes the graph
 * (writer-lease.ts); the others answer reads.
 */
export async function openIdentityVersion(
  version: ProjectionVersion,
  options: { client: MongoConnection["client"]; config: IdentityConfig; logger: Logger },
): Promise<IdentityVersion> {
  const { config, logger } = options;
  const db = options.client.db(version.database);
  const rules = identityRulesOf(config);
  const layout = { buckets: config.IDENTITY_STORE_BUCKETS };
  const store = await createIdentityStore(db, layout);
  await store.ensureIndexes();
  const matches = await openMatchStore(db, config);
  await matches.ensureIndexes();
  const matcher = createProbabilisticMatcher(
    store,
    matches,
    {
      thresholds: { autoMerge: config.IDENTITY_MATCH_AUTO_MERGE, review: config.IDENTITY_MATCH_REVIEW },
      minRecords: config.IDENTITY_MATCH_MIN_RECORDS,
    },
    logger,
  );
  await matcher.loadModel();
  const writer = createGraphWriter({
    store,
    matches,
    matcher,
    rules,
    survivorship: { sourcePriority: config.GOLDEN_RECORD_SOURCE_PRIORITY },
    cache: createGraphCache({
      customers: config.IDENTITY_CACHE_CUSTOMERS,
      identifiers: 4 * config.IDENTITY_CACHE_CUSTOMERS,
      sourceRecords: 4 * config.IDENTITY_CACHE_CUSTOMERS,
    }),
  });
  return { version, store, matches, matcher, writer };
}
