/** Groups record indexes into clusters by union-find over linked pairs (transitive: a–b, b–c ⇒ a, b, c). */
export function clustersOf(recordCount: number, links: Iterable<readonly [number, number]>): number[] {
  const parent = Array.from({ length: recordCount }, (_, index) => index);
  const root = (index: number): number => {
    let current = index;
    while (parent[current] !== current) {
      const grandparent = parent[parent[current] ?? current] ?? current;
      parent[current] = grandparent;
      current = grandparent;
    }
    return current;
  };
  for (const [a, b] of links) {
    const rootA = root(a);
    const rootB = root(b);
    // The smaller index wins so the cluster labels do not depend on link order.
    if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  }
  return parent.map((_, index) => root(index));
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
