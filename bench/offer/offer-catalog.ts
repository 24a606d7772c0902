import {
  ContactChannel,
  type EligibilityRule,
  type Offer,
  OfferKind,
  OfferStrategy,
  RuleOperator,
} from "@rapport/proto";

const dayMs = 86_400_000;
const {
  CONTACT_CHANNEL_EMAIL: email,
  CONTACT_CHANNEL_SMS: sms,
  CONTACT_CHANNEL_PHONE: phone,
} = ContactChannel;
const { CONTACT_CHANNEL_POST: post, CONTACT_CHANNEL_PUSH: push, CONTACT_CHANNEL_WEB: web } = ContactChannel;

const isIn = (attribute: string, ...values: string[]): EligibilityRule => ({
  attribute,
  operator: RuleOperator.RULE_OPERATOR_IN,
  values,
  threshold: 0,
});
const notIn = (attribute: string, ...values: string[]): EligibilityRule => ({
  ...isIn(attribute, ...values),
  operator: RuleOperator.RULE_OPERATOR_NOT_IN,
});
const atLeast = (attribute: string, threshold: number): EligibilityRule => ({
  attribute,
  operator: RuleOperator.RULE_OPERATOR_AT_LEAST,
  values: [],
  threshold,
});
const atMost = (attribute: string, threshold: number): EligibilityRule => ({
  ...atLeast(attribute, threshold),
  operator: RuleOperator.RULE_OPERATOR_AT_MOST,
});

type OfferTerms = Pick<
  Offer,
  "offerId" | "name" | "kind" | "strategy" | "channels" | "costMinor" | "valueMinor"
> &
  Partial<Offer>;

function offer(terms: OfferTerms): Offer {
  return {
    description: "",
    eligibility: [],
    validFrom: "",
    validUntil: "",
    perCustomerCap: 0,
    priorResponseRate: 0,
    revision: 0,
    updatedAt: "",
    retiredAt: "",
    ...terms,
  };
}

/** The phone offer the benchmark's call campaign makes (purchasing and platinum customers). */
export const phoneCampaignOfferId = "retention-call";
/** The email offer the benchmark's email campaign makes (purchasing and platinum customers). */
export const emailCampaignOfferId = "gift-season";

/**
 * A tea shop's catalog of 20 offers as UpsertOffer takes them: every strategy, every channel, rules on
 * the scores (lifecycle stage, tier, categories, churn risk, NPS, complaints, predicted value), one
 * offer valid for a week, one expired, one with a per-customer cap. Validity is relative to `nowMs`.
 */
export function offerCatalog(nowMs: number): Offer[] {
  const at = (days: number) => new Date(nowMs + days * dayMs).toISOString();
  const {
    OFFER_KIND_DISCOUNT: discount,
    OFFER_KIND_CASHBACK: cashback,
    OFFER_KIND_POINTS: points,
  } = OfferKind;
  const strategy = OfferStrategy;
  return [
    offer({
      offerId: "welcome-10",
      name: "10 % off the second order",
      kind: discount,
      strategy: strategy.OFFER_STRATEGY_NEW_CUSTOMER_STAGE_1,
      channels: [email, web],
      eligibility: [isIn("lifecycle_stage", "new_stage_1")],
      costMinor: 1_000,
      valueMinor: 20_000,
      priorResponseRate: 0.1,
    }),
    offer({
      offerId: "second-order-gift",
      name: "A gift with the third order",
      kind: OfferKind.OFFER_KIND_GIFT_WITH_PURCHASE,
      strategy: strategy.OFFER_STRATEGY_NEW_CUSTOMER_STAGE_2,
      channels: [email, sms],
      eligibility: [isIn("lifecycle_stage", "new_stage_2")],
      costMinor: 2_500,
      valueMinor: 25_000,
      priorResponseRate: 0.08,
    }),
    offer({
      offerId: "tea-club",
      name: "Tea club invitation",
      kind: OfferKind.OFFER_KIND_EVENT_INVITATION,
      strategy: strategy.OFFER_STRATEGY_CROSS_SELL,
      channels: [email, web],
      eligibility: [isIn("categories", "tea")],
      costMinor: 500,
      valueMinor: 5_000,
    }),
    offer({
      offerId: "cup-cross-sell",
      name: "A cup to go with the tea",
      kind: discount,
      strategy: strategy.OFFER_STRATEGY_CROSS_SELL,
      channels: [email, web, push],
      eligibility: [isIn("categories", "tea"), notIn("categories", "tableware")],
      costMinor: 1_500,
      valueMinor: 18_000,
      priorResponseRate: 0.07,
    }),
    offer({
      offerId: emailCampaignOfferId,
      name: "Holiday gift sets",
      kind: discount,
      strategy: strategy.OFFER_STRATEGY_UP_SELL,
      channels: [email, web],
      eligibility: [isIn("tier", "purchasing", "platinum")],
      validUntil: at(30),
      costMinor: 3_000,
      valueMinor: 40_000,
    }),
    offer({
      offerId: "platinum-agent",
      name: "A personal tea sommelier",
      kind: OfferKind.OFFER_KIND_DEDICATED_AGENT,
      strategy: strategy.OFFER_STRATEGY_RETENTION,
      channels: [phone],
      eligibility: [isIn("tier", "platinum"), atLeast("churn_risk", 0.5)],
      costMinor: 8_000,
      valueMinor: 120_000,
      priorResponseRate: 0.2,
    }),
    offer({
      offerId: phoneCampaignOfferId,
      name: "Dedicated agent call",
      kind: OfferKind.OFFER_KIND_DEDICATED_AGENT,
      strategy: strategy.OFFER_STRATEGY_RETENTION,
      channels: [phone],
      eligibility: [isIn("tier", "purchasing", "platinum")],
      costMinor: 3_000,
      valueMinor: 30_000,
      priorResponseRate: 0.12,
    }),
    offer({
      offerId: "winback-cashback",
      name: "Come back: 5,000 won cashback",
      kind: cashback,
      strategy: strategy.OFFER_STRATEGY_REACTIVATION,
      channels: [email],
      eligibility: [isIn("lifecycle_stage", "at_risk", "lapsed")],
      costMinor: 2_000,
      valueMinor: 30_000,
    }),
    offer({
      offerId: "replenish-tea",
      name: "Time for more tea: double points",
      kind: points,
      strategy: strategy.OFFER_STRATEGY_REPLENISHMENT,
      channels: [email, push, web],
      eligibility: [isIn("categories", "tea"), atMost("recency_score", 3)],
      costMinor: 800,
      valueMinor: 12_000,
    }),
    offer({
      offerId: "refer-a-friend",
      name: "Points for a friend's first order",
      kind: points,
      strategy: strategy.OFFER_STRATEGY_REFERRAL,
      channels: [email, web],
      eligibility: [isIn("nps_class", "promoter")],
      costMinor: 1_000,
      valueMinor: 15_000,
      priorResponseRate: 0.06,
    }),
    offer({
      offerId: "sorry-voucher",
      name: "An apology voucher",
      kind: OfferKind.OFFER_KIND_SERVICE_RECOVERY,
      strategy: strategy.OFFER_STRATEGY_SERVICE_RECOVERY,
      channels: [phone, email],
      eligibility: [atLeast("open_complaints", 1)],
      costMinor: 5_000,
      valueMinor: 10_000,
      priorResponseRate: 0.3,
    }),
    offer({
      offerId: "birthday-letter",
      name: "Birthday letter",
      kind: OfferKind.OFFER_KIND_BIRTHDAY_LETTER,
      strategy: strategy.OFFER_STRATEGY_RETENTION,
      channels: [post],
      costMinor: 1_200,
      valueMinor: 8_000,
    }),
    offer({
      offerId: "platinum-thanks",
      name: "A thank-you letter",
      kind: OfferKind.OFFER_KIND_THANK_YOU_LETTER,
      strategy: strategy.OFFER_STRATEGY_RETENTION,
      channels: [post, email],
      eligibility: [isIn("tier", "platinum")],
      costMinor: 800,
      valueMinor: 9_000,
    }),
    offer({
      offerId: "snack-trial",
      name: "Try our yuzu cookies",
      kind: OfferKind.OFFER_KIND_NEW_PRODUCT_TRIAL,
      strategy: strategy.OFFER_STRATEGY_CROSS_SELL,
      channels: [web, email],
      eligibility: [notIn("categories", "snack")],
      perCustomerCap: 2,
      costMinor: 700,
      valueMinor: 6_000,
    }),
    offer({
      offerId: "personal-page",
      name: "A page of teas picked for you",
      kind: OfferKind.OFFER_KIND_PERSONALISED_PAGE,
      strategy: strategy.OFFER_STRATEGY_ACTIVATION,
      channels: [web],
      eligibility: [isIn("lifecycle_stage", "prospect")],
      costMinor: 0,
      valueMinor: 3_000,
      priorResponseRate: 0.02,
    }),
    offer({
      offerId: "app-points",
      name: "Points for opening the app",
      kind: points,
      strategy: strategy.OFFER_STRATEGY_ACTIVATION,
      channels: [push],
      costMinor: 300,
      valueMinor: 4_000,
    }),
    offer({
      offerId: "premium-upsell",
      name: "The premium tasting box",
      kind: discount,
      strategy: strategy.OFFER_STRATEGY_UP_SELL,
      channels: [email],
      eligibility: [
        atLeast("predicted_value_minor", 50_000),
        isIn("response_policy", "top_priority_best_terms"),
      ],
      costMinor: 4_000,
      valueMinor: 60_000,
    }),
    offer({
      offerId: "churn-cashback",
      name: "Stay with us: 10,000 won cashback",
      kind: cashback,
      strategy: strategy.OFFER_STRATEGY_RETENTION,
      channels: [email, sms],
      eligibility: [isIn("churn_risk_band", "high"), atLeast("margin_minor", 0)],
      costMinor: 3_500,
      valueMinor: 45_000,
    }),
    offer({
      offerId: "sms-flash",
      name: "This week only: 15 % off",
      kind: discount,
      strategy: strategy.OFFER_STRATEGY_ACTIVATION,
      channels: [sms],
      validFrom: at(-1),
      validUntil: at(7),
      costMinor: 500,
      valueMinor: 7_000,
    }),
    offer({
      offerId: "spring-sale",
      name: "Spring sale (over)",
      kind: discount,
      strategy: strategy.OFFER_STRATEGY_CROSS_SELL,
      channels: [email, web],
      validFrom: at(-120),
      validUntil: at(-30),
      costMinor: 1_000,
      valueMinor: 10_000,
    }),
  ];
}
