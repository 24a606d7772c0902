import { compareMoments, laterOf, type Moment, momentOf, type SurveyFact } from "../customer-facts.js";
import { npsClassOf, type SurveySentiment } from "./survey-sentiment.js";

type Scored = Moment & { score: number };

/**
 * A customer's survey answers, incrementally (the history form is survey-sentiment.ts): how many,
 * the latest NPS by event time, and the CSAT answers in time order (few, and the trend compares the
 * latest with the mean of the earlier ones).
 */
export type SurveyTally = {
  answered: number;
  latestNps?: Scored & { time: string };
  csat: Scored[];
};

export function emptySurveyTally(): SurveyTally {
  return { answered: 0, csat: [] };
}

export function recordSurvey(tally: SurveyTally, survey: SurveyFact): SurveyTally {
  const moment = momentOf(survey);
  const nps = survey.nps === undefined ? undefined : { ...moment, score: survey.nps, time: survey.time };
  const latestNps = nps && tally.latestNps ? laterOf(tally.latestNps, nps) : (nps ?? tally.latestNps);
  return {
    answered: tally.answered + 1,
    ...(latestNps ? { latestNps } : {}),
    csat:
      survey.csat === undefined
        ? tally.csat
        : inTimeOrder([...tally.csat, { ...moment, score: survey.csat }]),
  };
}

export function combineSurveyTallies(a: SurveyTally, b: SurveyTally): SurveyTally {
  const latestNps =
    a.latestNps && b.latestNps ? laterOf(a.latestNps, b.latestNps) : (a.latestNps ?? b.latestNps);
  return {
    answered: a.answered + b.answered,
    ...(latestNps ? { latestNps } : {}),
    csat: b.csat.length === 0 ? a.csat : inTimeOrder([...a.csat, ...b.csat]),
  };
}

/** The survey sentiment, as summariseSurveys gives it for the same answers. */
export function summariseSurveyTally(tally: SurveyTally): SurveySentiment {
  const csat = tally.csat.map((answer) => answer.score);
  const earlier = csat.slice(0, -1);
  const { latestNps } = tally;
  return {
    surveysAnswered: tally.answered,
    ...(latestNps
      ? {
          latestNps: latestNps.score,
          latestNpsClass: npsClassOf(latestNps.score),
          latestNpsAt: latestNps.time,
        }
      : {}),
    ...(csat.length > 0 ? { csatAverage: mean(csat) } : {}),
    ...(earlier.length > 0 ? { csatTrend: (csat.at(-1) as number) - mean(earlier) } : {}),
  };
}

function inTimeOrder(answers: Scored[]): Scored[] {
  return answers.sort(compareMoments);
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
