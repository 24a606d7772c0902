import {
  type Campaign as CampaignMessage,
  type CampaignTarget as CampaignTargetMessage,
  ContactChannel,
  enumNames,
  OfferKind,
  type Offer as OfferMessage,
  OfferResponse,
  OfferStrategy,
  RuleOperator,
} from "@rapport/proto";
import type { Campaign } from "../domain/campaign.js";
import type { CampaignTarget } from "../domain/campaign-targets.js";
import type { OfferDefinition } from "../domain/catalog.js";
import type { ResponseKind } from "../domain/contact-facts.js";
import {
  channels,
  defaultPriorResponseRate,
  monetaryOfferKinds,
  nonMonetaryOfferKinds,
  type Offer,
  type RuleOperator as RuleOperatorName,
  strategies,
} from "../domain/offer-catalog.js";

export const channelNames = enumNames(ContactChannel, "CONTACT_CHANNEL_", channels);
export const kindNames = enumNames(OfferKind, "OFFER_KIND_", [
  ...monetaryOfferKinds,
  ...nonMonetaryOfferKinds,
]);
export const strategyNames = enumNames(OfferStrategy, "OFFER_STRATEGY_", strategies);
export const operatorNames = enumNames(RuleOperator, "RULE_OPERATOR_", [
  "in",
  "not_in",
  "at_least",
  "at_most",
] as const satisfies readonly RuleOperatorName[]);
export const responseNames = enumNames(OfferResponse, "OFFER_RESPONSE_", [
  "accepted",
  "declined",
  "no_answer",
  "converted",
] as const satisfies readonly ResponseKind[]);

/**
 * An offer definition from the API. Unset enums become empty names, which offerProblems reports;
 * an unset prior takes the default.
 */
export function definitionOf(message: OfferMessage): OfferDefinition {
  return {
    offerId: message.offerId,
    name: message.name,
    description: message.description,
    kind: kindNames.shortName(message.kind) ?? ("" as OfferDefinition["kind"]),
    strategy: strategyNames.shortName(message.strategy) ?? ("" as OfferDefinition["strategy"]),
    channels: message.channels.map(
      (channel) => channelNames.shortName(channel) ?? ("" as OfferDefinition["channels"][number]),
    ),
    eligibility: message.eligibility.map((rule) => ({
      attribute: rule.attribute,
      operator: operatorNames.shortName(rule.operator) ?? ("" as RuleOperatorName),
      values: rule.values,
      threshold: rule.threshold,
    })),
    costMinor: message.costMinor,
    valueMinor: message.valueMinor,
    ...(message.validFrom ? { validFrom: message.validFrom } : {}),
    ...(message.validUntil ? { validUntil: message.validUntil } : {}),
    perCustomerCap: message.perCustomerCap,
    priorResponseRate: message.priorResponseRate === 0 ? defaultPriorResponseRate : message.priorResponseRate,
  };
}

export function offerMessage(offer: Offer): OfferMessage {
  return {
    offerId: offer.offerId,
    name: offer.name,
    description: offer.description,
    kind: kindNames.valueOf(offer.kind),
    strategy: strategyNames.valueOf(offer.strategy),
    channels: offer.channels.map(channelNames.valueOf),
    eligibility: offer.eligibility.map((rule) => ({
      attribute: rule.attribute,
      operator: operatorNames.valueOf(rule.operator),
      values: rule.values,
      threshold: rule.threshold,
    })),
    costMinor: offer.costMinor,
    valueMinor: offer.valueMinor,
    validFrom: offer.validFrom ?? "",
    validUntil: offer.validUntil ?? "",
    perCustomerCap: offer.perCustomerCap,
    priorResponseRate: offer.priorResponseRate,
    revision: offer.revision,
    updatedAt: offer.updatedAt,
    retiredAt: offer.retiredAt ?? "",
  };
}

export function campaignMessage(campaign: Campaign): CampaignMessage {
  return {
    campaignId: campaign.campaignId,
    name: campaign.name,
    offerId: campaign.offerId,
    channel: channelNames.valueOf(campaign.channel),
    audience: campaign.audience,
    holdoutPercent: campaign.holdoutPercent,
    measurementDays: campaign.measurementDays,
    createdAt: campaign.createdAt,
    treatmentTargets: campaign.treatmentTargets,
    holdoutTargets: campaign.holdoutTargets,
    exclusions: campaign.exclusions,
  };
}

export function targetMessage(target: CampaignTarget): CampaignTargetMessage {
  return {
    customerId: target.customerId,
    group: target.group,
    priority: target.priority,
    phone: target.phone ?? "",
    bestHour: target.bestHour,
    lastContactAt: target.lastContactAt ?? "",
    email: target.email ?? "",
    scriptHints: target.scriptHints,
    unsubscribeToken: target.unsubscribeToken ?? "",
  };
}
