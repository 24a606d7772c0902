import { describe, expect, it } from "vitest";
import { clustersOf, pairwiseQuality } from "../identity/pairwise-quality.js";

describe("clusters of linked records", () => {
  it("close links transitively, labelled by the smallest index in the cluster", () => {
    expect(
      clustersOf(5, {
        links: [
          [3, 4],
          [1, 3],
        ],
      }),
    ).toEqual([0, 1, 2, 1, 1]);
  });

  it("leave out a link whose clusters its stage may not join, and keep the order of the links", () => {
    // 0 and 2 are two people; 1 lacks what tells them apart and links to both.
    const twoPeople = (left: readonly number[], right: readonly number[]) =>
      !(left.includes(0) && right.includes(2)) && !(left.includes(2) && right.includes(0));
    expect(
      clustersOf(3, {
        links: [
          [0, 1],
          [1, 2],
        ],
        canJoin: twoPeople,
      }),
    ).toEqual([0, 0, 2]);
    expect(
      clustersOf(3, {
        links: [
          [1, 2],
          [0, 1],
        ],
        canJoin: twoPeople,
      }),
    ).toEqual([0, 1, 1]);
  });

  it("apply a later stage to the clusters of the earlier ones", () => {
    const never = () => false;
    expect(
      clustersOf(4, { links: [[0, 1]] }, { links: [[1, 2]], canJoin: never }, { links: [[2, 3]] }),
    ).toEqual([0, 0, 2, 2]);
  });
});

describe("pairwise quality", () => {
  it("counts record pairs in one cluster against pairs of one person", () => {
    // Person a has records 0, 1, 2; person b record 3. Clusters {0, 1} and {2, 3}.
    const quality = pairwiseQuality([0, 0, 2, 2], ["a", "a", "a", "b"]);
    expect(quality).toMatchObject({ truePairs: 3, predictedPairs: 2, correctPairs: 1 });
    expect(quality.precision).toBe(0.5);
    expect(quality.recall).toBeCloseTo(1 / 3, 12);
  });
});
