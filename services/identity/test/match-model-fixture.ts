import type { ComparisonField } from "../src/domain/matching/comparison-levels.js";
import { modelWith, startingMProbabilities } from "../src/domain/matching/match-model.js";

/**
 * A model as EM leaves it on a population where agreeing names and birth dates are rare among
 * different people (u) and usual for one person (the starting m): same name, birth date and
 * address score ≈ 1; same name and birth date with a different first name spelling ≈ 0.95.
 */
export const fittedLikeModel = modelWith(
  {
    firstName: [0.002, 0.0005, 0.003, 0.005, 0.04, 0.9495],
    lastName: [0.01, 0.005, 0.005, 0.03, 0.95],
    birthDate: [0.0003, 0.003, 0.01, 0.05, 0.9367],
    address: [0.0005, 0.002, 0.02, 0.9775],
    email: [0.0001, 0.0005, 0.001, 0.9984],
    phone: [0.0001, 0.0002, 0.9997, 0.00001, 0.00001, 0.00008],
  },
  1e-4,
);

/**
 * The same u, with m as EM fits it where one person's records disagree on a birth date by a typo
 * at most (the labelled synthetic mix): birth dates far apart are near-proof of two people.
 */
export const birthDatesAgreeModel = modelWith(
  Object.fromEntries(Object.entries(fittedLikeModel.fields).map(([field, { u }]) => [field, u])) as Record<
    ComparisonField,
    number[]
  >,
  1e-4,
  { ...startingMProbabilities, birthDate: [0.9, 0.09, 0.000_001, 0.009_998, 0.000_001] },
);
