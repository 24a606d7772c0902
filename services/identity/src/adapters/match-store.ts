import { ensureIndexes, insertMissing } from "@rapport/mongo";
import type { Collection, Db } from "mongodb";
import type { MatchProposed } from "../domain/identity-events.js";
import type { CustomerId } from "../domain/identity-types.js";
import type { BlockingRule } from "../domain/matching/blocking.js";
import type { MatchModel } from "../domain/matching/match-model.js";
import type { PersonRecord } from "../domain/matching/person-record.js";
import { inEveryBucket, openStoreCollections, type StoreLayout } from "./store-buckets.js";

/** A customer's place in one block: records sharing a block are compared. */
type BlockDocument = { _id: string; block: string; customerId: CustomerId };

/** A proposal awaiting (or given) a person's decision. */
export type ProposalDocument = Omit<MatchProposed, "type" | "proposalId"> & {
  _id: string;
  status: "open" | "accepted" | "rejected";
  decision?: { decidedBy: string; note: string; at: string };
};

export type FittedModelDocument = {
  _id: "current";
  model: MatchModel;
  fittedAt: string;
  records: number;
  candidatePairs: number;
};

/**
 * What probabilistic matching keeps: each customer's blocking keys (looked up by equality), the
 * review queue, and the fitted model. Block entries are spread over the layout's buckets by their
 * block, so the customers sharing a block are in one bucket; proposals by their id (looked up for
 * every candidate of every match); the one model stays in one collection.
 */
export async function createMatchStore(
  db: Db,
  rules: readonly BlockingRule[],
  maxBlockSize: number,
  layout: StoreLayout,
) {
  const [blocks, proposals] = await Promise.all([
    openStoreCollections<BlockDocument>(db, "match_blocks", layout),
    openStoreCollections<ProposalDocument>(db, "match_proposals", layout),
  ]);
  const models = db.collection<FittedModelDocument>("match_models");

  const keysOf = (record: PersonRecord) =>
    rules.flatMap((rule) => rule.blockingKeys(record).map((key) => `${rule.name}:${key}`));

  return {
    ensureIndexes: () =>
      ensureIndexes(db, [
        ...inEveryBucket(blocks, { block: 1 }, "blocks_by_key"),
        ...inEveryBucket(proposals, { status: 1 }, "proposals_by_status"),
      ]),

    /** Files the record under its blocking keys (keys it had before stay: candidates are re-scored anyway). */
    async index(customerId: CustomerId, record: PersonRecord): Promise<void> {
      const byBucket = new Map<Collection<BlockDocument>, BlockDocument[]>();
      for (const block of keysOf(record)) {
        const bucket = blocks.of(block);
        byBucket.set(bucket, [
          ...(byBucket.get(bucket) ?? []),
          { _id: `${block}|${customerId}`, block, customerId },
        ]);
      }
      await Promise.all([...byBucket].map(([bucket, documents]) => insertMissing(bucket, documents)));
    },

    /** Customer ids sharing a block with the record; blocks bigger than the limit are skipped. */
    async candidatesOf(record: PersonRecord): Promise<Set<CustomerId>> {
      const found = await Promise.all(
        keysOf(record).map((block) =>
          blocks
            .of(block)
            .find({ block }, { projection: { customerId: 1 } })
            .limit(maxBlockSize + 1)
            .toArray(),
        ),
      );
      const ids = new Set<CustomerId>();
      for (const members of found) {
        if (members.length > maxBlockSize) continue;
        for (const { customerId } of members) ids.add(customerId);
      }
      return ids;
    },

    proposal: (proposalId: string) => proposals.of(proposalId).findOne({ _id: proposalId }),

    async addProposal(event: MatchProposed): Promise<void> {
      const { type: _type, proposalId, ...proposal } = event;
      await proposals
        .of(proposalId)
        .updateOne({ _id: proposalId }, { $setOnInsert: { ...proposal, status: "open" } }, { upsert: true });
    },

    /** Open proposals with at least `minScore`, highest score first (the queue is small: sorted here). */
    async openProposals(minScore: number): Promise<ProposalDocument[]> {
      const open = (
        await Promise.all(proposals.all.map((bucket) => bucket.find({ status: "open" }).toArray()))
      ).flat();
      return open
        .filter((proposal) => proposal.score >= minScore)
        .sort((a, b) => b.score - a.score || (a._id < b._id ? -1 : 1));
    },

    async recordDecision(
      proposalId: string,
      status: "accepted" | "rejected",
      decision: ProposalDocument["decision"],
    ): Promise<void> {
      await proposals.of(proposalId).updateOne({ _id: proposalId }, { $set: { status, decision } });
    },

    currentModel: () => models.findOne({ _id: "current" }),

    saveModel: (fitted: Omit<FittedModelDocument, "_id">) =>
      models.replaceOne({ _id: "current" }, fitted, { upsert: true }),
  };
}

export type MatchStore = Awaited<ReturnType<typeof createMatchStore>>;
