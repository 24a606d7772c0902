import type { CustomerFact } from "./customer-facts.js";
import { minorDigitsOf } from "./exchange-rates.js";

/** One line a person reads for a fact on the customer's timeline. */
export function timelineLineOf(fact: CustomerFact): string {
  switch (fact.kind) {
    case "order":
      return `order ${fact.orderId}, ${amount(fact.totalMinor, fact.currency)}${fact.salesChannel ? ` (${fact.salesChannel})` : ""}`;
    case "order_cancelled":
      return `order ${fact.orderId} cancelled`;
    case "order_refunded":
      return `order ${fact.orderId} refunded ${amount(fact.amountMinor, fact.currency)}`;
    case "call":
      return `${fact.direction} ${fact.purpose.replaceAll("_", " ")} call${fact.outcome ? `, ${fact.outcome.replaceAll("_", " ")}` : ""}${fact.complaintReference ? ` (${fact.complaintReference} ${fact.complaintStatus ?? "open"})` : ""}`;
    case "page_view":
      return `viewed ${fact.page}${fact.statusCode && fact.statusCode >= 400 ? ` (error ${fact.statusCode})` : ""}`;
    case "survey":
      return `answered survey ${fact.surveyId}${fact.nps !== undefined ? `, NPS ${fact.nps}` : ""}${fact.csat !== undefined ? `, CSAT ${fact.csat}` : ""}`;
    case "consent":
      return `${fact.status} ${fact.channel} consent${fact.via ? ` via ${fact.via.replaceAll("_", " ")}` : ""}`;
    case "registration":
      return `registered${fact.channel ? ` (${fact.channel})` : ""}`;
    case "profile":
      return `profile updated${Object.keys(fact.preferences).length > 0 ? `: ${Object.keys(fact.preferences).join(", ")}` : ""}`;
    case "offer_response":
      return `${fact.response.replaceAll("_", " ")} offer ${fact.offerId}${fact.revenueMinor ? `, revenue ${fact.revenueMinor}` : ""}`;
    case "offer_presented":
      return `offered ${fact.offerId}${fact.channel ? ` by ${fact.channel}` : ""}${fact.campaignId ? ` (campaign ${fact.campaignId})` : ""}`;
    default: {
      const unhandled: never = fact;
      return unhandled;
    }
  }
}

function amount(minor: number, currency: string): string {
  const digits = minorDigitsOf(currency);
  return `${(minor / 10 ** digits).toLocaleString("en", { maximumFractionDigits: digits })} ${currency}`;
}
