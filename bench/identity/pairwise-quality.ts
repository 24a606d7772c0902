export type LinkStage = {
  links: Iterable<readonly [number, number]>;
  /** Whether the clusters holding a link's two records (their indexes) may be joined; by default always. */
  canJoin?: (left: readonly number[], right: readonly number[], link: readonly [number, number]) => boolean;
};

/**
 * Groups record indexes into clusters by closing linked pairs transitively (a–b, b–c ⇒ a, b, c),
 * stage after stage, each stage's links in their order; a link whose clusters its stage may not
 * join is left out. Each record's label is the smallest index in its cluster.
 */
export function clustersOf(recordCount: number, ...stages: LinkStage[]): number[] {
  const labels = Array.from({ length: recordCount }, (_, index) => index);
  const members = new Map(labels.map((index) => [index, [index]]));
  for (const { links, canJoin = () => true } of stages) {
    for (const [a, b] of links) {
      const labelA = labels[a] ?? a;
      const labelB = labels[b] ?? b;
      const left = members.get(labelA) ?? [];
      const right = members.get(labelB) ?? [];
      if (labelA === labelB || !canJoin(left, right, [a, b])) continue;
      const [kept, joined] = labelA < labelB ? [labelA, right] : [labelB, left];
      for (const index of joined) labels[index] = kept;
      members.set(kept, [...(members.get(kept) ?? []), ...joined]);
      members.delete(kept === labelA ? labelB : labelA);
    }
  }
  return labels;
}

export type PairwiseQuality = {
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
};

/**
 * Pairwise precision/recall: a pair of records is predicted linked when both are in one cluster,
 * truly linked when both belong to one person. `counts` limits the pairs scored (e.g. to pairs
 * sharing no identifier); by default every pair counts.
 */
export function pairwiseQuality(
  clusterOf: readonly number[],
  personOf: readonly string[],
  counts: (a: number, b: number) => boolean = () => true,
): PairwiseQuality {
  const predicted = groupIndexes(clusterOf);
  const truth = groupIndexes(personOf);
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const members of predicted) {
    forEachPair(members, (a, b) => {
      if (!counts(a, b)) return;
      predictedPairs += 1;
      if (personOf[a] === personOf[b]) correctPairs += 1;
    });
  }
  let truePairs = 0;
  for (const members of truth) {
    forEachPair(members, (a, b) => {
      if (counts(a, b)) truePairs += 1;
    });
  }
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs, predictedPairs, correctPairs, precision, recall, f1 };
}

function groupIndexes<K>(labels: readonly K[]): number[][] {
  const groups = new Map<K, number[]>();
  labels.forEach((label, index) => {
    const members = groups.get(label);
    if (members) members.push(index);
    else groups.set(label, [index]);
  });
  return [...groups.values()].filter((members) => members.length > 1);
}

function forEachPair(members: readonly number[], visit: (a: number, b: number) => void): void {
  for (let i = 0; i < members.length; i += 1) {
    for (let j = i + 1; j < members.length; j += 1) visit(members[i] ?? 0, members[j] ?? 0);
  }
}
