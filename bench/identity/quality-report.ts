import type { MatchModel } from "../../services/identity/src/domain/matching/index.js";
import { writeBenchmarkSection } from "../shared/benchmarks-doc.js";
import { type MatchQualityResult, modelTable } from "./match-quality-run.js";
import type { PairwiseQuality } from "./pairwise-quality.js";
import { defaultSyntheticMix } from "./synthetic-people.js";

const sectionName = "identity-quality";

/** Seeds whose populations were not looked at when the defaults (threshold, conflict weight) were chosen. */
const heldOutSeeds = [1, 99, 314];

export type RunContext = {
  command: string;
  date: string;
  commit: string;
  node: string;
  cpu: string;
  loadBefore: string;
  loadAfter: string;
  totalSeconds: number;
  /** Headline rows of further seeds, to show the figures are not one lucky draw. */
  otherSeeds: MatchQualityResult[];
};

const fixed = (value: number, digits = 4) => value.toFixed(digits);
const count = (value: number) => value.toLocaleString("en-US");
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

function qualityCells(quality: PairwiseQuality): string {
  return [
    fixed(quality.precision),
    fixed(quality.recall),
    fixed(quality.f1),
    count(quality.predictedPairs),
    count(quality.correctPairs),
    count(quality.truePairs),
  ].join(" | ");
}

function headline(result: MatchQualityResult): PairwiseQuality {
  const [row] = result.rows;
  if (!row) throw new Error("no headline row");
  return row.quality;
}

/** The section for docs/benchmarks.md, between its markers. */
export function qualitySection(result: MatchQualityResult, context: RunContext): string {
  const { options, trained } = result;
  const main = headline(result);

  const mix = defaultSyntheticMix;
  const lines = [
    "## Identity resolution quality",
    "",
    "How well the probabilistic matcher of the identity service (`services/identity/src/domain/matching`) finds the same person behind records that share no identifier. A seeded generator (`bench/identity/synthetic-people.ts`) makes people in households who sign up one to five times, with typos, swapped names, other romanizations of Korean surnames, missing fields, family phones, twins, recycled emails and second accounts; every record is labelled with its true person. The script blocks, estimates the model from the unlabelled records (u from random pairs, m by EM over full-name and birth-date blocks, λ by EM over all pairs), scores the candidate pairs, and takes the pairs at or above the auto-merge threshold strongest first: each joins the clusters of its two records unless some record of one cluster and some record of the other are a conflict (their fields weigh 2 bits or more against being one person: `isInConflict` in `match-policy.ts`, the check the service makes before it merges a candidate into a customer). It then counts **pairwise** precision and recall: a pair of records is predicted linked when both are in one cluster, truly linked when both belong to one person. No deterministic identifier links are used unless a row says so. The labels are used only for scoring.",
    "",
    "|  |  |",
    "| --- | --- |",
    `| date (UTC) | ${context.date} |`,
    `| command | \`${context.command}\` |`,
    `| commit | \`${context.commit}\` |`,
    `| Node.js | ${context.node} |`,
    `| CPU | ${context.cpu} |`,
    `| load average (1/5/15 min) | before ${context.loadBefore}; after ${context.loadAfter} |`,
    `| duration | ${context.totalSeconds.toFixed(1)} s in all; main run: ${Object.entries(result.phaseSeconds)
      .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`)
      .join(", ")} |`,
    `| population | seed ${options.seed}: ${count(result.personCount)} people → ${count(result.recordCount)} records, ${count(result.truePairs)} true pairs (default mix, documented in synthetic-people.ts: ${percent(mix.westernShare)} Western names, ${mix.peoplePerPostalCode} people per postal code) |`,
    `| blocking | ${options.rules.map((rule) => `\`${rule.name}\``).join(", ")}; at most ${options.maxBlockSize} records per block (${result.skippedBlocks.length} blocks skipped) |`,
    `| estimation | u from ${count(trained.uPairsSampled)} random pairs (seed ${options.seed}); ${trained.sessions
      .map(
        (session) =>
          `EM over \`${session.rule}\` (${count(session.pairCount)} pairs, m of ${session.estimatedFields.join(", ")}): ${session.rounds} rounds, ${session.converged ? "converged" : "not converged"}`,
      )
      .join(
        "; ",
      )}; λ = ${trained.model.priorMatchProbability.toExponential(3)} (${trained.priorRounds} rounds) |`,
    `| thresholds | auto-merge ≥ ${options.thresholds.autoMerge}, review ≥ ${options.thresholds.review} |`,
    "",
    `**Result: ${meetsTarget(main) ? "meets" : "does not meet"} the issue's target** (F1 ≥ 0.95 with precision ≥ 0.98 at the default thresholds) on the default population (seed ${options.seed}): the model alone reaches precision ${fixed(main.precision)}, recall ${fixed(main.recall)}, F1 ${fixed(main.f1)}.`,
    "",
    `Where recall stops: only ${percent(result.corroboratedShare)} of the true pairs have records that agree on anything besides the names (a birth date or one typo off, an address, an email, a phone); the other ${percent(1 - result.corroboratedShare)} share a name and nothing else (birth date or address missing, a new email and phone on the second account), and a name alone is shared with strangers (a fifth of the Korean names are Kim, from 60 common given names). Recall passes that share only where a name-only pair is joined through a third record of the same person. Blocking proposes ${percent(result.blockingRecall)} of the true pairs; the missed ones are almost all of that name-only kind.`,
    "",
    `What lifted the figures (the rows "without …" below measure each on this run): (1) **the conflict check**: pairwise merges closed transitively used to chain a household into one person (a record without a first name scores high against both the mother and the son, who share surname, address and family phone); refusing a join whose clusters hold a conflicting pair removes most of those false merges, which is what makes the auto-merge threshold of 0.9 safe (it was 0.97). It left out ${count(result.conflictRefusals.links)} auto-merge links here, ${count(result.conflictRefusals.trueLinks)} of them between two records of one person. (2) **the \`same_full_name\` candidate block** proposes the true pairs every other key misses (a birth date one typo off, an email handle with digits added, a new address); most of the pairs it adds are name-only and stay apart.`,
    "",
    "Tried and not kept: **term-frequency adjustment of name agreement** (Winkler; u of an exact first-name agreement = the share of records with that first name, of a surname = the share with that surname, or with the full name among those with the first name when both agree), on top of the conflict check and the full-name block, 2026-11-24 01:25–01:29 UTC, load 15–21, seeds 42 / 7 / 2026 at auto-merge 0.9: F1 0.9436 / 0.9511 / 0.9451 (full name), 0.9461 / 0.9530 / 0.9473 (first name and surname independently), 0.9492 / 0.9554 / 0.9534 (first name only), against 0.9508 / 0.9563 / 0.9536 without. The population's namesakes are too many for it: of the pairs of records with the same full name, no birth date to compare and nothing else agreeing, even where just two records carry that full name, only 15 of 97 are one person (counted on seed 42's labels), so a rare name does not make a name-only pair a match, while the false merges left are household members, whose shared surname is not chance at all; the weaker weight of Kim and Lee cost more true pairs than the rare names gained. Also not kept (01:35–01:41 UTC, load 19–23, same seeds): surname levels conditional on a shared postal code, as the phone's are (F1 0.9434 / 0.9509 / 0.9466: precision up, recall down more), and counting an email handle as name-based when it is made of either record's names (0.9489 / 0.9559 / 0.9539).",
    "",
    `The auto-merge threshold (0.9) and the conflict weight (−2 bits) were chosen looking at seeds 42, 7 and 2026; seeds ${heldOutSeeds.join(", ")} were not looked at when choosing them. ${targetBySeed([result, ...context.otherSeeds])}`,
    "",
    "| resolution | precision | recall | F1 | predicted pairs | correct | true pairs |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...result.rows.map((row) => `| ${row.name}: ${row.description} | ${qualityCells(row.quality)} |`),
    ...context.otherSeeds.map(
      (other) =>
        `| model, auto-merge, seed ${other.options.seed} (another population, same mix${heldOutSeeds.includes(other.options.seed) ? ", not looked at when choosing the defaults" : ""}) | ${qualityCells(headline(other))} |`,
    ),
    "",
    "The deterministic rows model what the identity graph adds: two records with the same email (lower-cased) or phone (digits) **and** consistent names (first and last name present, each exact, swapped or Jaro-Winkler ≥ 0.88) are linked; a shared identifier with other names (a family phone, a recycled email) is left to the model. The model's own figures are the first rows.",
    "",
    "The model alone at other auto-merge thresholds, with the conflict check (same run):",
    "",
    "| auto-merge ≥ | precision | recall | F1 | predicted pairs | correct | true pairs |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...result.thresholdSweep.map((point) => `| ${point.autoMerge} | ${qualityCells(point.quality)} |`),
    "",
    `Decisions over ${count(result.candidatePairs)} candidate pairs (${Object.entries(result.pairCountsByRule)
      .map(([rule, pairs]) => `${rule} ${count(pairs)}`)
      .join(
        ", ",
      )}): merge ${count(result.decisions.merge)}, review ${count(result.decisions.review)}, no match ${count(result.decisions.no_match)}. Auto-merge pairs of two people that ended in one cluster, by kind: ${describeCounts(result.falsePositives)}. Proposed true pairs whose records end in different clusters: ${describeCounts(result.missedPairs)} (and ${count(Math.round(result.truePairs * (1 - result.blockingRecall)))} true pairs never proposed by blocking).`,
    "",
    `Hard cases in this population (records carrying each): ${describeCounts(result.hardCases)}.`,
    "",
    'The fitted model (weight = log2(m/u); phone levels "at shared address" are conditional on the two postal codes agreeing, so a family phone at the family address weighs little). An m at the floor (birth dates days or years apart) means the generator never makes that error within one person, so EM learns it as near-proof of two people; real data with such errors would teach a milder weight:',
    "",
    ...modelLines(trained.model),
  ];
  return lines.join("\n");
}

function meetsTarget(quality: PairwiseQuality): boolean {
  return quality.f1 >= 0.95 && quality.precision >= 0.98;
}

function targetBySeed(results: readonly MatchQualityResult[]): string {
  const seedOf = (result: MatchQualityResult) => `seed ${result.options.seed}`;
  const met = results.filter((result) => meetsTarget(headline(result)));
  const missed = results.filter((result) => !meetsTarget(headline(result)));
  const misses = missed.map((result) => {
    const { precision, f1 } = headline(result);
    return `${seedOf(result)} (precision ${fixed(precision)}, F1 ${fixed(f1)})`;
  });
  return `The target is met on ${met.length} of the ${results.length} populations${met.length > 0 ? ` (${met.map(seedOf).join(", ")})` : ""}${misses.length > 0 ? `; missed on ${misses.join(", ")}` : ""}.`;
}

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? "none" : entries.map(([kind, value]) => `${kind} ${count(value)}`).join(", ");
}

function modelLines(model: MatchModel): string[] {
  return [
    "| field | level | m | u | weight |",
    "| --- | --- | ---: | ---: | ---: |",
    ...modelTable(model).map(
      (row) =>
        `| ${row.field} | ${row.level} | ${fixed(row.m)} | ${row.u.toExponential(2)} | ${Math.log2(row.m / row.u).toFixed(2)} |`,
    ),
  ];
}

/** A console summary of the same run. */
export function qualitySummary(result: MatchQualityResult, context: RunContext): string {
  const rows = [
    ...result.rows.map((row) => [row.name, row.quality] as const),
    ...context.otherSeeds.map(
      (other) => [`model, auto-merge, seed ${other.options.seed}`, headline(other)] as const,
    ),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    `seed ${result.options.seed}: ${result.personCount} people, ${result.recordCount} records, ${result.truePairs} true pairs; ${result.candidatePairs} candidate pairs (blocking recall ${fixed(result.blockingRecall)}); thresholds ${result.options.thresholds.autoMerge}/${result.options.thresholds.review}; ${context.totalSeconds.toFixed(1)} s`,
    `${"".padEnd(width)}  precision  recall     F1`,
    ...rows.map(
      ([name, quality]) =>
        `${name.padEnd(width)}  ${fixed(quality.precision).padStart(9)}  ${fixed(quality.recall).padStart(6)}  ${fixed(quality.f1).padStart(6)}`,
    ),
    `recall ceiling (true pairs agreeing on more than names): ${fixed(result.corroboratedShare)}`,
    `threshold sweep: ${result.thresholdSweep.map((point) => `${point.autoMerge}: P ${fixed(point.quality.precision, 3)} R ${fixed(point.quality.recall, 3)} F1 ${fixed(point.quality.f1, 3)}`).join("; ")}`,
  ].join("\n");
}

/**
 * Replaces only this benchmark's section of docs/benchmarks.md (other benchmarks write theirs
 * concurrently), reading the file just before writing it.
 */
export async function writeQualitySection(section: string): Promise<void> {
  await writeBenchmarkSection(sectionName, section);
}
