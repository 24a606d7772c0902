import { chunksOf, findByIds, idsPerCommand, insertMissing, insertMissingByIds } from "@rapport/mongo";
import type { Db } from "mongodb";
import { type Campaign, partsOf, targetsPerPart } from "../domain/campaign.js";
import type { CampaignGroup, CampaignTarget } from "../domain/campaign-targets.js";
import { openStoreCollections, type StoreLayout } from "./store-buckets.js";

type CampaignDocument = { _id: string; campaign: Campaign };

/** One part of a campaign's frozen targets, as crm.offers carries it (CampaignTargetsFrozen). */
export type FrozenTargetPart = {
  campaignId: string;
  part: number;
  group: CampaignGroup;
  targets: CampaignTarget[];
};
type TargetPartDocument = FrozenTargetPart & { _id: string };

/**
 * Frozen campaigns: the campaign, and its targets in parts of `targetsPerPart` in priority order,
 * the treatment group's parts first, then the holdout's. Everything is inserted once, by the API
 * that creates it and again by the consumer of crm.offers; whichever comes second inserts nothing.
 * Both store the parts before the campaign (on crm.offers they come first, in the campaign's one
 * partition), so a stored campaign always has all its targets.
 */
export async function createCampaignStore(db: Db, layout: StoreLayout) {
  const campaigns = db.collection<CampaignDocument>("campaigns");
  const parts = await openStoreCollections<TargetPartDocument>(db, "campaign_targets", layout);
  const partId = (campaignId: string, part: number) => `${campaignId}/${part}`;

  /** The number of the part holding a group's target at `index`. */
  const partNumber = (campaign: Campaign, group: CampaignGroup, index: number) =>
    (group === "holdout" ? partsOf(campaign.treatmentTargets) : 0) + Math.floor(index / targetsPerPart);

  /** A group's targets from `start`, at most `count` of them, in priority order (their parts read at once). */
  async function targets(
    campaign: Campaign,
    group: CampaignGroup,
    start: number,
    count: number,
  ): Promise<CampaignTarget[]> {
    const total = group === "holdout" ? campaign.holdoutTargets : campaign.treatmentTargets;
    const end = Math.min(total, start + count);
    const slices: { _id: string; from: number; to: number }[] = [];
    for (let index = start; index < end; index = (Math.floor(index / targetsPerPart) + 1) * targetsPerPart) {
      const from = index % targetsPerPart;
      slices.push({
        _id: partId(campaign.campaignId, partNumber(campaign, group, index)),
        from,
        to: from + (end - index),
      });
    }
    const stored = new Map(
      (
        await findByIds(
          parts,
          slices.map(({ _id }) => _id),
        )
      ).map((part) => [part._id, part]),
    );
    return slices.flatMap(({ _id, from, to }) => {
      const part = stored.get(_id);
      if (!part) throw new Error(`campaign ${campaign.campaignId} is missing its target part ${_id}`);
      return part.targets.slice(from, to);
    });
  }

  return {
    /**
     * Stores frozen campaigns and target parts not stored yet, in a few inserts: every part before
     * any campaign, so that a stored campaign always has all its targets.
     */
    async save(frozen: {
      parts?: readonly FrozenTargetPart[];
      campaigns?: readonly Campaign[];
    }): Promise<void> {
      await insertMissingByIds(
        parts,
        (frozen.parts ?? []).map(({ campaignId, part, group, targets }) => ({
          _id: partId(campaignId, part),
          campaignId,
          part,
          group,
          targets,
        })),
      );
      const documents = (frozen.campaigns ?? []).map((campaign) => ({ _id: campaign.campaignId, campaign }));
      for (const chunk of chunksOf(documents, idsPerCommand)) await insertMissing(campaigns, chunk);
    },

    targets,

    async campaign(campaignId: string): Promise<Campaign | undefined> {
      return (await campaigns.findOne({ _id: campaignId }))?.campaign;
    },

    /** Every target of the campaign, both groups. */
    async allTargets(campaign: Campaign): Promise<CampaignTarget[]> {
      const [treatment, holdout] = await Promise.all([
        targets(campaign, "treatment", 0, campaign.treatmentTargets),
        targets(campaign, "holdout", 0, campaign.holdoutTargets),
      ]);
      return [...treatment, ...holdout];
    },
  };
}

export type CampaignStore = Awaited<ReturnType<typeof createCampaignStore>>;
