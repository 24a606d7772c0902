/**
 * What the offer service knows of a customer from scoring (CustomerService): the scores its
 * eligibility rules and rankings read. Absent scores were not computed yet (no population model,
 * no purchase).
 */
export type CustomerScores = {
  customerId: string;
  /** all, registered, purchasing or platinum. */
  tier: string;
  /** prospect, new_stage_1, new_stage_2, active, at_risk, lapsed or reactivated. */
  lifecycleStage: string;
  rfmSegment?: string;
  rfmScores?: { recency: number; frequency: number; monetary: number };
  /** purchasing_power_loyalty_response, e.g. high_high_low; empty before the first model. */
  segmentCell: string;
  responsePolicy: string;
  revenueMinor: number;
  historicValueMinor: number;
  marginMinor: number;
  predictedValueMinor?: number;
  churnRisk?: number;
  churnRiskBand?: string;
  /** Categories bought, most first. */
  topCategories: string[];
  /** promoter, passive, detractor; absent without an NPS answer. */
  npsClass?: string;
  openComplaints: number;
  lastOrderAt?: string;
};
