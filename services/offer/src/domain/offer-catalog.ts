/** The channels an offer can go out through. Web is inbound: the customer came to the page. */
export const channels = ["email", "sms", "phone", "post", "push", "web"] as const;
export type Channel = (typeof channels)[number];

export const monetaryOfferKinds = [
  "discount",
  "cashback",
  "points",
  "gift_with_purchase",
  "new_product_trial",
  "partner_discount",
] as const;
export const nonMonetaryOfferKinds = [
  "personalised_page",
  "event_invitation",
  "dedicated_agent",
  "thank_you_letter",
  "birthday_letter",
  "service_recovery",
] as const;
export type OfferKind = (typeof monetaryOfferKinds)[number] | (typeof nonMonetaryOfferKinds)[number];

export const strategies = [
  "retention",
  "activation",
  "cross_sell",
  "up_sell",
  "replenishment",
  "reactivation",
  "new_customer_stage_1",
  "new_customer_stage_2",
  "referral",
  "service_recovery",
] as const;
export type Strategy = (typeof strategies)[number];

export type RuleOperator = "in" | "not_in" | "at_least" | "at_most";

/** One condition over the customer's scores; an offer's rules must all hold. */
export type EligibilityRule = {
  attribute: string;
  operator: RuleOperator;
  /** For in / not_in. */
  values: string[];
  /** For at_least / at_most. */
  threshold: number;
};

/** An offer as the catalog holds it: its definition plus what the catalog keeps about it. */
export type Offer = {
  offerId: string;
  name: string;
  description: string;
  kind: OfferKind;
  strategy: Strategy;
  channels: Channel[];
  eligibility: EligibilityRule[];
  /** Expected cost of making the offer to one customer (incentive and contact), minor units. */
  costMinor: number;
  /** Value to the company of a positive response, minor units. */
  valueMinor: number;
  /** RFC 3339 instants; absent means open-ended. */
  validFrom?: string;
  validUntil?: string;
  /** Presentations to one customer at most; 0 means no cap. */
  perCustomerCap: number;
  /** The Beta prior's mean: the response rate believed before any response is seen. */
  priorResponseRate: number;
  revision: number;
  updatedAt: string;
  retiredAt?: string;
};

export const defaultPriorResponseRate = 0.05;
