import { type CustomerHistory, factsOfKind } from "../customer-history.js";

export type NpsClass = "promoter" | "passive" | "detractor";

export type SurveySentiment = {
  surveysAnswered: number;
  latestNps?: number;
  latestNpsClass?: NpsClass;
  latestNpsAt?: string;
  csatAverage?: number;
  /** Latest CSAT minus the mean of the earlier ones: above zero is improving. */
  csatTrend?: number;
};

/** 9–10 promoters, 7–8 passives, 0–6 detractors (Reichheld's net promoter score). */
export function npsClassOf(score: number): NpsClass {
  if (score >= 9) return "promoter";
  if (score >= 7) return "passive";
  return "detractor";
}

/** "Latest" is by event time, so a late-arriving older survey does not replace a newer answer. */
export function summariseSurveys(history: CustomerHistory): SurveySentiment {
  const surveys = factsOfKind(history, "survey");
  const latestNps = surveys.filter((survey) => survey.nps !== undefined).at(-1);
  const csat = surveys.flatMap((survey) => (survey.csat === undefined ? [] : [survey.csat]));
  const earlier = csat.slice(0, -1);
  return {
    surveysAnswered: surveys.length,
    ...(latestNps?.nps !== undefined
      ? { latestNps: latestNps.nps, latestNpsClass: npsClassOf(latestNps.nps), latestNpsAt: latestNps.time }
      : {}),
    ...(csat.length > 0 ? { csatAverage: mean(csat) } : {}),
    ...(earlier.length > 0 ? { csatTrend: (csat.at(-1) as number) - mean(earlier) } : {}),
  };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
