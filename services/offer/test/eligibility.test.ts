import { describe, expect, it } from "vitest";
import type { CustomerScores } from "../src/domain/customer-scores.js";
import { checkRule, customerAttributes, ruleProblem } from "../src/domain/eligibility.js";
import type { EligibilityRule } from "../src/domain/offer-catalog.js";

const customer = (overrides: Partial<CustomerScores> = {}): CustomerScores => ({
  customerId: "C-1",
  tier: "platinum",
  lifecycleStage: "active",
  segmentCell: "high_high_high",
  responsePolicy: "top_priority_best_terms",
  revenueMinor: 1_200_000,
  historicValueMinor: 900_000,
  marginMinor: 300_000,
  topCategories: ["tea", "coffee"],
  openComplaints: 0,
  ...overrides,
});

const among = (attribute: string, values: string[]): EligibilityRule => ({
  attribute,
  operator: "in",
  values,
  threshold: 0,
});
const notAmong = (attribute: string, values: string[]): EligibilityRule => ({
  ...among(attribute, values),
  operator: "not_in",
});
const atLeast = (attribute: string, threshold: number): EligibilityRule => ({
  attribute,
  operator: "at_least",
  values: [],
  threshold,
});
const atMost = (attribute: string, threshold: number): EligibilityRule => ({
  ...atLeast(attribute, threshold),
  operator: "at_most",
});

describe("a customer's attributes", () => {
  it("reads every score a rule can name", () => {
    const attributes = customerAttributes(
      customer({
        rfmSegment: "champions",
        rfmScores: { recency: 5, frequency: 4, monetary: 3 },
        predictedValueMinor: 500_000,
        churnRisk: 0.12,
        churnRiskBand: "low",
        npsClass: "promoter",
        openComplaints: 1,
      }),
    );

    expect(attributes).toEqual({
      tier: "platinum",
      lifecycle_stage: "active",
      rfm_segment: "champions",
      segment_cell: "high_high_high",
      response_policy: "top_priority_best_terms",
      churn_risk_band: "low",
      nps_class: "promoter",
      categories: ["tea", "coffee"],
      recency_score: 5,
      frequency_score: 4,
      monetary_score: 3,
      predicted_value_minor: 500_000,
      historic_value_minor: 900_000,
      margin_minor: 300_000,
      churn_risk: 0.12,
      open_complaints: 1,
    });
  });

  it("leaves out what scoring has not computed yet, including the empty cell before a model", () => {
    const attributes = customerAttributes(customer({ segmentCell: "" }));

    expect(Object.keys(attributes).sort()).toEqual([
      "categories",
      "historic_value_minor",
      "lifecycle_stage",
      "margin_minor",
      "open_complaints",
      "response_policy",
      "tier",
    ]);
  });
});

describe("checking a rule", () => {
  it("passes a categorical rule when the customer's class is among the values", () => {
    expect(checkRule(among("tier", ["platinum"]), customer())).toEqual({
      passed: true,
      description: "tier in [platinum]: platinum",
    });
    expect(checkRule(among("tier", ["registered", "purchasing"]), customer())).toEqual({
      passed: false,
      description: "tier in [registered, purchasing]: platinum",
    });
  });

  it("passes not_in when the class is none of the values", () => {
    expect(checkRule(notAmong("lifecycle_stage", ["lapsed"]), customer()).passed).toBe(true);
    expect(checkRule(notAmong("lifecycle_stage", ["active", "lapsed"]), customer())).toEqual({
      passed: false,
      description: "lifecycle_stage not in [active, lapsed]: active",
    });
  });

  it("compares numbers with their threshold inclusive", () => {
    const risky = customer({ churnRisk: 0.31 });

    expect(checkRule(atLeast("churn_risk", 0.5), risky)).toEqual({
      passed: false,
      description: "churn_risk at least 0.5: 0.31",
    });
    expect(checkRule(atMost("churn_risk", 0.31), risky).passed).toBe(true);
    expect(checkRule(atLeast("churn_risk", 0.31), risky).passed).toBe(true);
    expect(checkRule(atLeast("historic_value_minor", 900_000), customer())).toEqual({
      passed: true,
      description: "historic_value_minor at least 900000: 900000",
    });
  });

  it("shows a fraction in full when rounding it would look like the threshold", () => {
    expect(checkRule(atLeast("churn_risk", 0.5), customer({ churnRisk: 0.4999 }))).toEqual({
      passed: false,
      description: "churn_risk at least 0.5: 0.4999",
    });
  });

  it("reads the category list as contains any (in) and contains none (not_in)", () => {
    expect(checkRule(among("categories", ["tea", "cake"]), customer())).toEqual({
      passed: true,
      description: "categories in [tea, cake]: tea",
    });
    expect(checkRule(among("categories", ["cake", "wine"]), customer())).toEqual({
      passed: false,
      description: "categories in [cake, wine]: none of cake, wine",
    });
    expect(checkRule(notAmong("categories", ["cake"]), customer())).toEqual({
      passed: true,
      description: "categories not in [cake]: none of cake",
    });
    expect(checkRule(notAmong("categories", ["coffee"]), customer()).passed).toBe(false);
  });

  it("fails every rule on an attribute scoring has not computed, whatever the operator", () => {
    const unscored = customer();

    expect(checkRule(atLeast("churn_risk", 0.5), unscored)).toEqual({
      passed: false,
      description: "churn_risk at least 0.5: churn_risk unknown",
    });
    expect(checkRule(atMost("churn_risk", 0.5), unscored).passed).toBe(false);
    expect(checkRule(notAmong("nps_class", ["detractor"]), unscored).passed).toBe(false);
    expect(checkRule(among("segment_cell", ["high_high_high"]), customer({ segmentCell: "" })).passed).toBe(
      false,
    );
  });

  it("fails a rule the catalog should not have taken, saying why", () => {
    expect(checkRule(atLeast("tier", 1), customer())).toEqual({
      passed: false,
      description: "tier at least 1: tier is categorical: use in or not_in, not at_least",
    });
  });
});

describe("validating a rule for the catalog", () => {
  it("takes well-formed rules", () => {
    expect(ruleProblem(among("tier", ["platinum"]))).toBeUndefined();
    expect(ruleProblem(notAmong("categories", ["tea"]))).toBeUndefined();
    expect(ruleProblem(atMost("open_complaints", 0))).toBeUndefined();
  });

  it("names the known attributes when the attribute is unknown", () => {
    expect(ruleProblem(among("star_sign", ["leo"]))).toBe(
      'unknown attribute "star_sign"; known attributes: tier, lifecycle_stage, rfm_segment, segment_cell, ' +
        "response_policy, churn_risk_band, nps_class, categories, recency_score, frequency_score, " +
        "monetary_score, predicted_value_minor, historic_value_minor, margin_minor, churn_risk, open_complaints",
    );
  });

  it("refuses an operator that does not fit the attribute's kind", () => {
    expect(ruleProblem(among("churn_risk", ["high"]))).toBe(
      "churn_risk is numeric: use at_least or at_most, not in",
    );
    expect(ruleProblem(atLeast("tier", 2))).toBe("tier is categorical: use in or not_in, not at_least");
    expect(ruleProblem(atMost("categories", 2))).toBe("categories is a list: use in or not_in, not at_most");
  });

  it("refuses in / not_in without values and a threshold that is not a finite number", () => {
    expect(ruleProblem(notAmong("tier", []))).toBe("tier not_in needs at least one value");
    expect(ruleProblem(atLeast("churn_risk", Number.NaN))).toBe(
      "churn_risk at_least needs a finite threshold, got NaN",
    );
    expect(ruleProblem(atMost("margin_minor", Number.POSITIVE_INFINITY))).toBe(
      "margin_minor at_most needs a finite threshold, got Infinity",
    );
  });

  it("refuses an operator it does not know", () => {
    const rule = { ...among("tier", ["platinum"]), operator: "like" } as unknown as EligibilityRule;

    expect(ruleProblem(rule)).toBe('unknown operator "like"; known operators: in, not_in, at_least, at_most');
  });
});
