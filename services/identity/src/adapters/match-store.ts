import { ensureIndexes, findByIds } from "@rapport/mongo";
import type { Db } from "mongodb";
import type { CustomersMerged, MatchProposed } from "../domain/identity-events.js";
import type { MatchModel } from "../domain/matching/match-model.js";
import type { ProposalState } from "../domain/person-decisions.js";
import { inEveryBucket, openStoreCollections, type StoreLayout } from "./store-buckets.js";

/** A proposal awaiting (or given) a person's decision. */
export type ProposalDocument = Omit<MatchProposed, "type" | "proposalId"> & {
  _id: string;
  status: "open" | "accepted" | "rejected";
  /** The decision taken, with the merge it made (an accepted proposal whose customers were apart). */
  decision?: { decidedBy: string; note: string; at: string; merged?: CustomersMerged };
};

/** A stored proposal as the writer decides on it. */
export function proposalStateOf(document: ProposalDocument): ProposalState {
  const { customers, score, evidence, status, decision } = document;
  return {
    customers,
    score,
    evidence,
    status,
    ...(decision === undefined ? {} : { decidedAt: decision.at }),
    ...(decision?.merged === undefined ? {} : { merged: decision.merged }),
  };
}

export type FittedModelDocument = {
  _id: "current";
  model: MatchModel;
  fittedAt: string;
  records: number;
  candidatePairs: number;
};

/**
 * What probabilistic matching keeps: the review queue (proposals, by id) and the fitted model. The
 * blocking index is kept in memory (probabilistic-matcher.ts).
 */
export async function createMatchStore(db: Db, layout: StoreLayout) {
  const proposals = await openStoreCollections<ProposalDocument>(db, "match_proposals", layout);
  const models = db.collection<FittedModelDocument>("match_models");

  return {
    ensureIndexes: () => ensureIndexes(db, inEveryBucket(proposals, { status: 1 }, "proposals_by_status")),

    /** The stored proposals of these ids. */
    proposalsByIds: (proposalIds: Iterable<string>) => findByIds(proposals, proposalIds),

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
