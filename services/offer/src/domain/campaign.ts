import type { Channel } from "./offer-catalog.js";

/** Which customers a campaign targets: scoring's list filters, then the offer's rules and the contact policy. */
export type CampaignAudience = {
  tiers: string[];
  lifecycleStages: string[];
  rfmSegments: string[];
  segmentCells: string[];
  minPredictedValueMinor?: number;
  minChurnRisk?: number;
  /** At most this many targets, highest priority first; 0 for all. */
  maxTargets: number;
};

/** A campaign as frozen when it was created. */
export type Campaign = {
  campaignId: string;
  name: string;
  offerId: string;
  channel: Channel;
  audience: CampaignAudience;
  holdoutPercent: number;
  measurementDays: number;
  createdAt: string;
  treatmentTargets: number;
  holdoutTargets: number;
  exclusions: { reason: string; customers: number }[];
};

/** Targets per frozen part: a part is one event on crm.offers and one stored document. */
export const targetsPerPart = 500;

/** How many parts a group of targets is frozen in (at least one, possibly empty). */
export function partsOf(targets: number): number {
  return Math.max(1, Math.ceil(targets / targetsPerPart));
}

/** The problem with a campaign request, or undefined when it can be built. */
export function campaignProblem(request: {
  campaignId: string;
  name: string;
  holdoutPercent: number;
  measurementDays: number;
  maxTargets: number;
}): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(request.campaignId))
    return "campaign_id must be 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";
  if (request.name.trim() === "") return "name the campaign";
  if (!(request.holdoutPercent >= 0 && request.holdoutPercent <= 50))
    return "holdout_percent must be between 0 and 50";
  if (
    !Number.isInteger(request.measurementDays) ||
    request.measurementDays < 0 ||
    request.measurementDays > 365
  )
    return "measurement_days must be between 1 and 365 (0 for the default of 30)";
  if (!Number.isInteger(request.maxTargets) || request.maxTargets < 0)
    return "max_targets must not be negative";
  return undefined;
}
