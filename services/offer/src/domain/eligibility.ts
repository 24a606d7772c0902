import type { CustomerScores } from "./customer-scores.js";
import type { EligibilityRule, RuleOperator } from "./offer-catalog.js";

/**
 * What an eligibility rule can read of a customer, by the kind of value it holds: categorical
 * attributes name one class (the tier, the grid cell), the list is the categories the customer buys,
 * numeric ones are scores and values in minor units.
 */
export const attributeKinds = {
  tier: "categorical",
  lifecycle_stage: "categorical",
  rfm_segment: "categorical",
  segment_cell: "categorical",
  response_policy: "categorical",
  churn_risk_band: "categorical",
  nps_class: "categorical",
  categories: "list",
  recency_score: "numeric",
  frequency_score: "numeric",
  monetary_score: "numeric",
  predicted_value_minor: "numeric",
  historic_value_minor: "numeric",
  margin_minor: "numeric",
  churn_risk: "numeric",
  open_complaints: "numeric",
} as const satisfies Record<string, AttributeKind>;

export type AttributeKind = "categorical" | "list" | "numeric";
export type Attribute = keyof typeof attributeKinds;

/**
 * A customer's attribute values. An attribute scoring has not computed yet (no population model,
 * no purchase, no NPS answer) is absent, and every rule on it fails: nothing is known to satisfy it.
 */
export type CustomerAttributes = {
  [A in Attribute]?: (typeof attributeKinds)[A] extends "numeric"
    ? number
    : (typeof attributeKinds)[A] extends "list"
      ? readonly string[]
      : string;
};

export function customerAttributes(scores: CustomerScores): CustomerAttributes {
  return withoutAbsent({
    tier: known(scores.tier),
    lifecycle_stage: known(scores.lifecycleStage),
    rfm_segment: known(scores.rfmSegment),
    segment_cell: known(scores.segmentCell),
    response_policy: known(scores.responsePolicy),
    churn_risk_band: known(scores.churnRiskBand),
    nps_class: known(scores.npsClass),
    categories: scores.topCategories,
    recency_score: scores.rfmScores?.recency,
    frequency_score: scores.rfmScores?.frequency,
    monetary_score: scores.rfmScores?.monetary,
    predicted_value_minor: scores.predictedValueMinor,
    historic_value_minor: scores.historicValueMinor,
    margin_minor: scores.marginMinor,
    churn_risk: scores.churnRisk,
    open_complaints: scores.openComplaints,
  });
}

/**
 * Why the catalog cannot take a rule, in words an API caller can act on; undefined when it can.
 */
export function ruleProblem(rule: EligibilityRule): string | undefined {
  if (!isAttribute(rule.attribute)) {
    return `unknown attribute "${rule.attribute}"; known attributes: ${Object.keys(attributeKinds).join(", ")}`;
  }
  const kind = attributeKinds[rule.attribute];
  switch (rule.operator) {
    case "in":
    case "not_in":
      if (kind === "numeric") {
        return `${rule.attribute} is numeric: use at_least or at_most, not ${rule.operator}`;
      }
      if (rule.values.length === 0) return `${rule.attribute} ${rule.operator} needs at least one value`;
      return undefined;
    case "at_least":
    case "at_most":
      if (kind !== "numeric") {
        return `${rule.attribute} is ${kind === "list" ? "a list" : "categorical"}: use in or not_in, not ${rule.operator}`;
      }
      if (!Number.isFinite(rule.threshold)) {
        return `${rule.attribute} ${rule.operator} needs a finite threshold, got ${rule.threshold}`;
      }
      return undefined;
    default:
      return `unknown operator "${rule.operator satisfies never}"; known operators: in, not_in, at_least, at_most`;
  }
}

export type RuleCheck = { passed: boolean; description: string };

/**
 * Whether the customer satisfies the rule, with a description that shows the rule and what the
 * customer has: "tier in [platinum]: platinum", "churn_risk at least 0.5: 0.31". On the category
 * list, `in` holds when the customer buys any of the values and `not_in` when none of them.
 */
export function checkRule(rule: EligibilityRule, scores: CustomerScores): RuleCheck {
  const problem = ruleProblem(rule);
  const ruleText = describeRule(rule);
  if (problem) return { passed: false, description: `${ruleText}: ${problem}` };
  const value = customerAttributes(scores)[rule.attribute as Attribute];
  if (value === undefined) return { passed: false, description: `${ruleText}: ${rule.attribute} unknown` };
  if (typeof value === "number") {
    const passed = rule.operator === "at_least" ? value >= rule.threshold : value <= rule.threshold;
    return { passed, description: `${ruleText}: ${formatNumber(value, rule.threshold)}` };
  }
  if (typeof value === "string") {
    const passed = rule.values.includes(value) === (rule.operator === "in");
    return { passed, description: `${ruleText}: ${value}` };
  }
  const matching = rule.values.filter((wanted) => value.includes(wanted));
  const passed = matching.length > 0 === (rule.operator === "in");
  return {
    passed,
    description: `${ruleText}: ${matching.length > 0 ? matching.join(", ") : `none of ${rule.values.join(", ")}`}`,
  };
}

function describeRule(rule: EligibilityRule): string {
  const operator: Record<RuleOperator, string> = {
    in: "in",
    not_in: "not in",
    at_least: "at least",
    at_most: "at most",
  };
  const words = operator[rule.operator] ?? rule.operator;
  return rule.operator === "at_least" || rule.operator === "at_most"
    ? `${rule.attribute} ${words} ${rule.threshold}`
    : `${rule.attribute} ${words} [${rule.values.join(", ")}]`;
}

/**
 * Whole numbers (scores, minor units) as they are; fractions (churn risk) to three significant
 * digits, or all of them when three would look equal to the threshold.
 */
function formatNumber(value: number, threshold: number): string {
  if (Number.isInteger(value)) return String(value);
  const rounded = Number(value.toPrecision(3));
  return rounded === threshold && value !== threshold ? String(value) : String(rounded);
}

function isAttribute(name: string): name is Attribute {
  return Object.hasOwn(attributeKinds, name);
}

/** Scoring sends an empty text for a class it has not assigned yet (the grid cell before a model). */
function known(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function withoutAbsent(attributes: CustomerAttributes): CustomerAttributes {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, value]) => value !== undefined),
  ) as CustomerAttributes;
}
