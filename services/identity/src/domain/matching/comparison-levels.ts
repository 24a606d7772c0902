/**
 * The comparison levels of each field, from the strongest agreement to outright disagreement
 * (Splink's defaults, DESIGN §7). "missing" is not listed: a value absent on either side is neutral.
 * The order is the order of m and u probabilities in a MatchModel.
 */
export const comparisonLevels = {
  firstName: ["exact", "swapped", "jaro_winkler_0.92", "jaro_winkler_0.88", "jaro_winkler_0.70", "different"],
  lastName: ["exact", "jaro_winkler_0.92", "jaro_winkler_0.88", "jaro_winkler_0.70", "different"],
  birthDate: ["exact", "one_edit", "within_month", "within_year", "different"],
  address: ["exact", "postal_code_similar_street", "postal_code_only", "different"],
  email: ["exact", "same_local_part", "same_domain_similar_local_part", "different"],
  phone: [
    "exact",
    "last_8_digits",
    "different",
    "exact_at_shared_address",
    "last_8_digits_at_shared_address",
    "different_at_shared_address",
  ],
} as const;

export type ComparisonField = keyof typeof comparisonLevels;

export type ComparisonLevel<F extends ComparisonField = ComparisonField> =
  (typeof comparisonLevels)[F][number];

export const comparisonFields = Object.keys(comparisonLevels) as ComparisonField[];

/**
 * Fellegi-Sunter multiplies the fields' evidence as if each were independent of the others. A
 * phone is not independent of the address: one household shares a home and often a family phone,
 * so "same address" and "same phone" counted separately made parents and children look like one
 * person. The phone's levels are therefore conditional on whether the postal codes agree: levels
 * in group 1 are P(phone level | same postal code), levels in group 0 P(phone level | otherwise);
 * m and u sum to one within each group. Fields not listed have a single group.
 */
const levelGroups: { readonly [F in ComparisonField]?: readonly number[] } = {
  phone: [0, 0, 0, 1, 1, 1],
};

/** The conditioning group of each level of the field, in level order. */
export function levelGroupsOf(field: ComparisonField): readonly number[] {
  return levelGroups[field] ?? comparisonLevels[field].map(() => 0);
}

export const missingLevel = "missing";

/**
 * Levels that weigh nothing, like "missing": the values were there, but their agreement is not
 * evidence of its own. Two namesakes' "minjun.kim@naver.com" and "minjun.kim@gmail.com" agree
 * because the handle is the name, which the name fields already count; scoring it again as a rare
 * coincidence merged namesakes. Likewise swapped names are one event, weighed once in firstName's
 * "swapped" level: counting it in both name fields made "Kim Minjun" / "Minjun Kim" namesakes
 * look twice as certain as an exact full-name match.
 */
export const neutralLevels = [
  missingLevel,
  "same_name_based_local_part",
  "swapped_counted_in_first_name",
] as const;

export type NeutralLevel = (typeof neutralLevels)[number];
