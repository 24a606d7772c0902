import { type RecencyBand, recencyScoreWithin } from "./recency-band.js";

/** What RFM reads of a purchasing customer, as of the scoring time. */
export type RfmInputs = { recencyDays: number; frequency: number; monetaryMinor: number };

/**
 * The population's quintile edges (20th, 40th, 60th and 80th percentiles of purchasing customers),
 * each ascending. They are fitted with the population model and recorded with it, so a score can
 * always be traced to the breakpoints it used.
 */
export type RfmBreakpoints = { recencyDays: number[]; frequency: number[]; monetaryMinor: number[] };

export type RfmScores = { recency: number; frequency: number; monetary: number };

/**
 * A buyer's RFM: the inputs, the scores the segment follows from, and, so that a reader can see why
 * a score is what it is, the recency band and the recency score among the population alone.
 */
export type Rfm = RfmInputs & {
  recencyBand: RecencyBand;
  recencyQuintileScore: number;
  scores: RfmScores;
  segment: RfmSegment;
};

export type RfmSegment =
  | "champions"
  | "loyal_customers"
  | "potential_loyalists"
  | "new_customers"
  | "promising"
  | "need_attention"
  | "about_to_sleep"
  | "at_risk"
  | "cannot_lose_them"
  | "hibernating"
  | "lost";

export function rfmBreakpointsOf(population: readonly RfmInputs[]): RfmBreakpoints {
  return {
    recencyDays: quintileEdges(population.map((customer) => customer.recencyDays)),
    frequency: quintileEdges(population.map((customer) => customer.frequency)),
    monetaryMinor: quintileEdges(population.map((customer) => customer.monetaryMinor)),
  };
}

/**
 * Scores 1–5. Frequency and monetary: one more than the number of edges the value exceeds, so a
 * value above every edge scores 5. Recency the other way round: the most recent buyers score 5.
 */
export function rfmScoresOf(inputs: RfmInputs, breakpoints: RfmBreakpoints): RfmScores {
  return {
    recency: 5 - edgesBelow(inputs.recencyDays, breakpoints.recencyDays),
    frequency: 1 + edgesBelow(inputs.frequency, breakpoints.frequency),
    monetary: 1 + edgesBelow(inputs.monetaryMinor, breakpoints.monetaryMinor),
  };
}

/**
 * Quintile scores with recency kept within what the recency band allows (recency-band.ts): a
 * population that bought long ago, as a backfilled history is, would otherwise score a customer
 * silent for decades R5 and name it a champion.
 */
export function rfmOf(inputs: RfmInputs, breakpoints: RfmBreakpoints, recencyBand: RecencyBand): Rfm {
  const quintileScores = rfmScoresOf(inputs, breakpoints);
  const scores = { ...quintileScores, recency: recencyScoreWithin(quintileScores.recency, recencyBand) };
  return {
    ...inputs,
    recencyBand,
    recencyQuintileScore: quintileScores.recency,
    scores,
    segment: rfmSegmentOf(scores),
  };
}

/** The named segments of the usual recency × frequency map. */
export function rfmSegmentOf(scores: RfmScores): RfmSegment {
  const { recency: r, frequency: f } = scores;
  if (r >= 4 && f >= 4) return "champions";
  if (r >= 3 && f >= 4) return "loyal_customers";
  if (r >= 4 && f >= 2) return "potential_loyalists";
  if (r === 5 && f === 1) return "new_customers";
  if (r === 4 && f === 1) return "promising";
  if (r === 3 && f === 3) return "need_attention";
  if (r === 3) return "about_to_sleep";
  if (f === 5) return "cannot_lose_them";
  if (f >= 3) return "at_risk";
  if (r === 2) return "hibernating";
  return "lost";
}

function edgesBelow(value: number, edges: readonly number[]): number {
  return edges.filter((edge) => edge < value).length;
}

/** Nearest-rank percentiles 20/40/60/80; all zero for an empty population. */
function quintileEdges(values: readonly number[]): number[] {
  if (values.length === 0) return [0, 0, 0, 0];
  const sorted = [...values].sort((a, b) => a - b);
  return [0.2, 0.4, 0.6, 0.8].map(
    (share) => sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] as number,
  );
}
