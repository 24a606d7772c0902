import { insertMissing, openBucketedCollections } from "@rapport/mongo";
import type { Db } from "mongodb";
import { type Campaign, partsOf, targetsPerPart } from "../domain/campaign.js";
import type { CampaignGroup, CampaignTarget } from "../domain/campaign-targets.js";

type CampaignDocument = { _id: string; campaign: Campaign };
type TargetPartDocument = {
  _id: string;
  campaignId: string;
  part: number;
  group: CampaignGroup;
  targets: CampaignTarget[];
};

/**
 * Frozen campaigns: the campaign, and its targets in parts of `targetsPerPart` in priority order,
 * the treatment group's parts first, then the holdout's. Everything is inserted once, by the API
 * that creates it and again by the consumer of crm.offers; whichever comes second inserts nothing.
 * Both store the parts before the campaign (on crm.offers they come first, in the campaign's one
 * partition), so a stored campaign always has all its targets.
 */
export async function createCampaignStore(db: Db, layout: { buckets: number }) {
  const campaigns = db.collection<CampaignDocument>("campaigns");
  const parts = await openBucketedCollections<TargetPartDocument>(db, "campaign_targets", layout.buckets);
  const partId = (campaignId: string, part: number) => `${campaignId}/${part}`;

  /** The number of the part holding a group's target at `index`. */
  const partNumber = (campaign: Campaign, group: CampaignGroup, index: number) =>
    (group === "holdout" ? partsOf(campaign.treatmentTargets) : 0) + Math.floor(index / targetsPerPart);

  /** A group's targets from `start`, at most `count` of them, in priority order. */
  async function targets(
    campaign: Campaign,
    group: CampaignGroup,
    start: number,
    count: number,
  ): Promise<CampaignTarget[]> {
    const total = group === "holdout" ? campaign.holdoutTargets : campaign.treatmentTargets;
    const end = Math.min(total, start + count);
    const found: CampaignTarget[] = [];
    for (let index = start; index < end; index = (Math.floor(index / targetsPerPart) + 1) * targetsPerPart) {
      const _id = partId(campaign.campaignId, partNumber(campaign, group, index));
      const stored = await parts.of(_id).findOne({ _id });
      if (!stored) throw new Error(`campaign ${campaign.campaignId} is missing its target part ${_id}`);
      const offset = index % targetsPerPart;
      found.push(...stored.targets.slice(offset, offset + (end - index)));
    }
    return found;
  }

  return {
    async saveCampaign(campaign: Campaign): Promise<void> {
      await insertMissing(campaigns, [{ _id: campaign.campaignId, campaign }]);
    },

    async savePart(
      campaignId: string,
      part: number,
      group: CampaignGroup,
      targets: CampaignTarget[],
    ): Promise<void> {
      const _id = partId(campaignId, part);
      await insertMissing(parts.of(_id), [{ _id, campaignId, part, group, targets }]);
    },

    targets,

    async campaign(campaignId: string): Promise<Campaign | undefined> {
      return (await campaigns.findOne({ _id: campaignId }))?.campaign;
    },

    /** Every target of the campaign, both groups. */
    async allTargets(campaign: Campaign): Promise<CampaignTarget[]> {
      const treatment = await targets(campaign, "treatment", 0, campaign.treatmentTargets);
      const holdout = await targets(campaign, "holdout", 0, campaign.holdoutTargets);
      return [...treatment, ...holdout];
    },
  };
}

export type CampaignStore = Awaited<ReturnType<typeof createCampaignStore>>;
