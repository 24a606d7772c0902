import {
  type BlockingRule,
  compareRecords,
  comparisonFields,
  comparisonLevels,
  decideMatch,
  defaultBlockingRules,
  defaultMatchThresholds,
  defaultTrainingOptions,
  findCandidatePairs,
  isInConflict,
  type MatchDecision,
  type MatchModel,
  type MatchThresholds,
  type PersonRecord,
  type SkippedBlock,
  sameFullName,
  scoreComparison,
  type TrainedMatchModel,
  trainMatchModel,
} from "../../services/identity/src/domain/matching/index.js";
import { deterministicLinks, shareIdentifier } from "./deterministic-links.js";
import { clustersOf, type LinkStage, type PairwiseQuality, pairwiseQuality } from "./pairwise-quality.js";
import { defaultSyntheticMix, generateSyntheticPeople, type LabelledRecord } from "./synthetic-people.js";

export type MatchQualityOptions = {
  people: number;
  seed: number;
  uSampleSize: number;
  maxBlockSize: number;
  thresholds: MatchThresholds;
  rules: readonly BlockingRule[];
};

export type QualityRow = { name: string; description: string; quality: PairwiseQuality };

export type MatchQualityResult = {
  options: MatchQualityOptions;
  recordCount: number;
  personCount: number;
  truePairs: number;
  candidatePairs: number;
  pairCountsByRule: Record<string, number>;
  skippedBlocks: SkippedBlock[];
  /** Share of true pairs that some blocking rule proposed: the ceiling on recall. */
  blockingRecall: number;
  trained: TrainedMatchModel;
  decisions: Record<MatchDecision, number>;
  rows: QualityRow[];
  falsePositives: Record<string, number>;
  missedPairs: Record<string, number>;
  hardCases: Record<string, number>;
  /** Share of true pairs whose records agree on something besides the names (see corroboratedShare). */
  corroboratedShare: number;
  /** Auto-merge links of the headline row left out because they would join conflicting clusters, and how many of those link one person's records. */
  conflictRefusals: { links: number; trueLinks: number };
  /** The headline (model alone) at other auto-merge thresholds. */
  thresholdSweep: Array<{ autoMerge: number; quality: PairwiseQuality }>;
  phaseSeconds: Record<string, number>;
};

const sweepThresholds = [0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995];

function withoutLabels(record: LabelledRecord): PersonRecord {
  const { personId: _person, householdId: _household, variations: _variations, ...person } = record;
  return person;
}

export function runMatchQuality(options: MatchQualityOptions): MatchQualityResult {
  const phaseSeconds: Record<string, number> = {};
  const timed = <T>(phase: string, work: () => T): T => {
    const started = performance.now();
    const result = work();
    phaseSeconds[phase] = (performance.now() - started) / 1000;
    return result;
  };
  const labelled = timed("generate", () =>
    generateSyntheticPeople(options.seed, { ...defaultSyntheticMix, people: options.people }),
  );
  const records = labelled.map(withoutLabels);
  const personOf = labelled.map((record) => record.personId);
  const indexOf = new Map(records.map((record, index) => [record.recordId, index]));

  const blocking = timed("block", () =>
    findCandidatePairs(records, options.rules, { maxBlockSize: options.maxBlockSize }),
  );
  const trained = timed("estimate", () =>
    trainMatchModel(records, blocking.pairs, {
      ...defaultTrainingOptions,
      uSampleSize: options.uSampleSize,
      seed: options.seed,
    }),
  );
  const scored = timed("score", () =>
    blocking.pairs.map((pair) => {
      const score = scoreComparison(trained.model, compareRecords(pair.left, pair.right));
      const left = indexOf.get(pair.left.recordId) ?? -1;
      const right = indexOf.get(pair.right.recordId) ?? -1;
      return { left, right, rules: pair.rules, score, decision: decideMatch(score, options.thresholds) };
    }),
  );

  // Strongest first, as the service takes a customer's candidates.
  scored.sort((a, b) => b.score.matchProbability - a.score.matchProbability);
  const decisions: Record<MatchDecision, number> = { merge: 0, review: 0, no_match: 0 };
  for (const pair of scored) decisions[pair.decision] += 1;
  const linksWith = (accept: (pair: (typeof scored)[number]) => boolean) =>
    scored.filter(accept).map((pair) => [pair.left, pair.right] as const);
  const isTrue = (pair: (typeof scored)[number]) => personOf[pair.left] === personOf[pair.right];
  const recordsOf = (indexes: readonly number[]) =>
    indexes.map((index) => records[index]).filter((record) => record !== undefined);
  const consistent = (left: readonly number[], right: readonly number[]) =>
    !isInConflict(trained.model, recordsOf(left), recordsOf(right));
  const conflictRefusals = { links: 0, trueLinks: 0 };
  const countingRefusals = (
    left: readonly number[],
    right: readonly number[],
    [a, b]: readonly [number, number],
  ) => {
    if (consistent(left, right)) return true;
    conflictRefusals.links += 1;
    if (personOf[a] === personOf[b]) conflictRefusals.trueLinks += 1;
    return false;
  };
  // Auto-merges join clusters only when no two of their records conflict; a person's decision
  // (review) and the identity graph's links do not ask the model.
  const autoMerges = (
    threshold: number,
    canJoin = consistent,
    proposed = (_pair: (typeof scored)[number]) => true,
  ): LinkStage => ({
    links: linksWith((pair) => pair.score.matchProbability >= threshold && proposed(pair)),
    canJoin,
  });
  const merged = autoMerges(options.thresholds.autoMerge, countingRefusals);
  const reviewedAll = { links: linksWith((pair) => pair.decision !== "no_match") };
  const reviewedWell = { links: linksWith((pair) => pair.decision !== "no_match" && isTrue(pair)) };
  const deterministic = { links: deterministicLinks(records) };
  const noSharedIdentifier = (a: number, b: number) => {
    const left = records[a];
    const right = records[b];
    return left !== undefined && right !== undefined && !shareIdentifier(left, right);
  };
  const quality = (stages: LinkStage[], counts?: (a: number, b: number) => boolean) =>
    pairwiseQuality(clustersOf(records.length, ...stages), personOf, counts);
  const headlineClusters = timed("cluster", () => clustersOf(records.length, merged));

  const rows: QualityRow[] = [
    {
      name: "model, auto-merge",
      description: `probabilistic model alone, pairs with match probability ≥ ${options.thresholds.autoMerge} merged unless they join conflicting records`,
      quality: pairwiseQuality(headlineClusters, personOf),
    },
    {
      name: "model, auto-merge, without the conflict check",
      description: "the same merges closed transitively whatever they join (how the matcher worked before)",
      quality: quality([autoMerges(options.thresholds.autoMerge, () => true)]),
    },
    {
      name: `model, auto-merge, without the \`${sameFullName.name}\` candidate block`,
      description: "only the pairs another blocking rule proposes (the model as fitted with all candidates)",
      quality: quality([
        autoMerges(options.thresholds.autoMerge, consistent, (pair) =>
          pair.rules.some((rule) => rule !== sameFullName.name),
        ),
      ]),
    },
    {
      name: "model, auto-merge, pairs sharing no identifier",
      description: "the same clusters, scored only on record pairs that share no email and no phone",
      quality: pairwiseQuality(headlineClusters, personOf, noSharedIdentifier),
    },
    {
      name: "model + reviewer accepting every proposal",
      description: `auto-merges, then everything ≥ ${options.thresholds.review} merged (the worst a careless reviewer can do)`,
      quality: quality([autoMerges(options.thresholds.autoMerge), reviewedAll]),
    },
    {
      name: "model + accurate reviewer",
      description:
        "auto-merges plus the proposals a reviewer who knows the truth accepts (the most review can add)",
      quality: quality([autoMerges(options.thresholds.autoMerge), reviewedWell]),
    },
    {
      name: "deterministic links alone",
      description: "same email or phone and consistent names (what the identity graph links)",
      quality: quality([deterministic]),
    },
    {
      name: "deterministic links + model auto-merge",
      description: "the whole resolution: the graph's links, then the model's auto-merges",
      quality: quality([deterministic, autoMerges(options.thresholds.autoMerge)]),
    },
  ];

  const truePairs = rows[0]?.quality.truePairs ?? 0;
  const blockedTrue = scored.filter(isTrue).length;
  return {
    options,
    recordCount: records.length,
    personCount: new Set(personOf).size,
    truePairs,
    candidatePairs: blocking.pairs.length,
    pairCountsByRule: blocking.pairCountsByRule,
    skippedBlocks: blocking.skippedBlocks,
    blockingRecall: truePairs === 0 ? 1 : blockedTrue / truePairs,
    trained,
    decisions,
    rows,
    falsePositives: tally(
      scored.filter(
        (pair) =>
          pair.decision === "merge" &&
          !isTrue(pair) &&
          headlineClusters[pair.left] === headlineClusters[pair.right],
      ),
      (pair) => falsePositiveKind(labelled, pair.left, pair.right),
    ),
    missedPairs: tally(
      scored.filter((pair) => isTrue(pair) && headlineClusters[pair.left] !== headlineClusters[pair.right]),
      (pair) =>
        pair.decision === "merge"
          ? "auto-merge left out as conflicting"
          : pair.decision === "review"
            ? "in review"
            : "below review",
    ),
    hardCases: hardCaseCounts(labelled),
    corroboratedShare: corroboratedShare(labelled),
    conflictRefusals,
    thresholdSweep: sweepThresholds.map((autoMerge) => ({
      autoMerge,
      quality: quality([autoMerges(autoMerge)]),
    })),
    phaseSeconds,
  };
}

const corroboratingLevels = new Set([
  "exact",
  "one_edit",
  "postal_code_similar_street",
  "same_local_part",
  "same_domain_similar_local_part",
  "last_8_digits",
  "exact_at_shared_address",
  "last_8_digits_at_shared_address",
]);

/**
 * A ceiling on pairwise recall for any matcher that must keep namesakes apart: the share of true
 * pairs whose two records agree on a birth date (or one typo off), an address, an email or a phone,
 * i.e. on anything but the names. The rest share only a name, which a fifth of people share with
 * a stranger (Kim) and which the generator's missing fields and changed details leave alone.
 */
function corroboratedShare(records: readonly LabelledRecord[]): number {
  const byPerson = new Map<string, LabelledRecord[]>();
  for (const record of records)
    byPerson.set(record.personId, [...(byPerson.get(record.personId) ?? []), record]);
  let pairs = 0;
  let corroborated = 0;
  for (const members of byPerson.values()) {
    for (let i = 0; i < members.length; i += 1) {
      for (let j = i + 1; j < members.length; j += 1) {
        const left = members[i];
        const right = members[j];
        if (!left || !right) continue;
        pairs += 1;
        const levels = compareRecords(left, right).fields.filter(
          (field) => field.field !== "firstName" && field.field !== "lastName",
        );
        if (levels.some((field) => corroboratingLevels.has(field.level))) corroborated += 1;
      }
    }
  }
  return pairs === 0 ? 1 : corroborated / pairs;
}

function falsePositiveKind(records: readonly LabelledRecord[], a: number, b: number): string {
  const left = records[a];
  const right = records[b];
  if (!left || !right) return "unknown";
  if (left.householdId === right.householdId) {
    return left.birthDate !== undefined && left.birthDate === right.birthDate
      ? "household, twins"
      : "household";
  }
  if (left.email !== undefined && left.email === right.email) return "recycled email";
  return "other";
}

function tally<T>(values: readonly T[], kind: (value: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[kind(value)] = (counts[kind(value)] ?? 0) + 1;
  return counts;
}

function hardCaseCounts(records: readonly LabelledRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) {
    for (const variation of record.variations) counts[variation] = (counts[variation] ?? 0) + 1;
  }
  return counts;
}

/** The fitted m and u of every level, for the report. */
export function modelTable(model: MatchModel): Array<{ field: string; level: string; m: number; u: number }> {
  return comparisonFields.flatMap((field) =>
    comparisonLevels[field].map((level, index) => ({
      field,
      level,
      m: model.fields[field].m[index] ?? Number.NaN,
      u: model.fields[field].u[index] ?? Number.NaN,
    })),
  );
}

export const defaultMatchQualityOptions: MatchQualityOptions = {
  people: defaultSyntheticMix.people,
  seed: 42,
  uSampleSize: defaultTrainingOptions.uSampleSize,
  maxBlockSize: 200,
  thresholds: defaultMatchThresholds,
  rules: defaultBlockingRules,
};
