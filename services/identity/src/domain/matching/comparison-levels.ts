/**
 * The comparison levels of each field, from the strongest agreement to outright disagreement
 * (Splink's defaults, DESIGN §7). "missing" is not listed: a value absent on either side is neutral.
 * The order is the order of m and u probabilities in a MatchModel.
 */
export const comparisonLevels = {
  firstName: ["exact", "swapped", "jaro_winkler_0.92", "jaro_winkler_0.88", "jaro_winkler_0.70", "different"],
  lastName: ["exact", "swapped", "jaro_winkler_0.92", "jaro_winkler_0.88", "jaro_winkler_0.70", "different"],
  birthDate: ["exact", "one_edit", "within_month", "within_year", "different"],
  address: ["exact", "postal_code_similar_street", "postal_code_only", "different"],
  email: ["exact", "same_local_part", "same_domain_similar_local_part", "different"],
  phone: ["exact", "last_8_digits", "different"],
} as const;

export type ComparisonField = keyof typeof comparisonLevels;

export type ComparisonLevel<F extends ComparisonField = ComparisonField> =
  (typeof comparisonLevels)[F][number];

export const comparisonFields = Object.keys(comparisonLevels) as ComparisonField[];

export const missingLevel = "missing";

/**
 * Levels that weigh nothing, like "missing": the values were there, but their agreement is not
 * evidence of its own. Two namesakes' "minjun.kim@naver.com" and "minjun.kim@gmail.com" agree
 * because the handle is the name, which the name fields already count; scoring it again as a rare
 * coincidence merged namesakes.
 */
export const neutralLevels = [missingLevel, "same_name_based_local_part"] as const;

export type NeutralLevel = (typeof neutralLevels)[number];
