import type { CustomerEvent } from "@rapport/events";
import type {
  CallFact,
  ConsentFact,
  ContactChannel,
  CustomerFact,
  FactOrigin,
  OfferResponse,
  OrderLine,
  PageViewFact,
} from "./customer-facts.js";

type EventData = CustomerEvent["data"];
type Money = { amountMinor?: number; currency: string };

/**
 * The fact scoring keeps of an event from crm.events.resolved. Ingestion validated the data
 * against its schema and normalised it (enum short names, upper-case currencies), so this only
 * picks fields; every event type of the catalog has a case.
 */
export function factOfEvent(event: CustomerEvent): CustomerFact {
  const origin: FactOrigin = { eventId: event.id, time: event.time, source: event.source };
  const data = event.data;
  switch (event.type) {
    case "crm.v1.OrderPlaced": {
      const total = data.total as Money;
      const margin = data.margin as Money | undefined;
      return {
        ...origin,
        kind: "order",
        orderId: text(data.orderId),
        totalMinor: total.amountMinor ?? 0,
        currency: total.currency,
        ...(margin && margin.currency === total.currency ? { marginMinor: margin.amountMinor ?? 0 } : {}),
        ...optionalText("salesChannel", data.salesChannel),
        lines: linesOf(data.items),
      };
    }
    case "crm.v1.OrderCancelled":
      return { ...origin, kind: "order_cancelled", orderId: text(data.orderId) };
    case "crm.v1.OrderRefunded": {
      const amount = data.amount as Money;
      return {
        ...origin,
        kind: "order_refunded",
        orderId: text(data.orderId),
        amountMinor: amount.amountMinor ?? 0,
        currency: amount.currency,
      };
    }
    case "crm.v1.CallLogged":
      return callFact(origin, data);
    case "crm.v1.PageViewed":
      return pageViewFact(origin, data);
    case "crm.v1.SurveyAnswered":
      return {
        ...origin,
        kind: "survey",
        surveyId: text(data.surveyId),
        ...(typeof data.nps === "number" ? { nps: data.nps } : {}),
        ...(typeof data.csat === "number" ? { csat: data.csat } : {}),
      };
    case "crm.v1.ConsentChanged":
      return {
        ...origin,
        kind: "consent",
        channel: data.channel as ContactChannel,
        status: data.status as ConsentFact["status"],
        ...optionalText("via", data.source),
      };
    case "crm.v1.CustomerRegistered":
      return { ...origin, kind: "registration", ...optionalText("channel", data.registrationChannel) };
    case "crm.v1.ProfileUpdated":
      return { ...origin, kind: "profile", preferences: (data.preferences as Record<string, string>) ?? {} };
    case "crm.v1.OfferResponded": {
      const revenue = data.revenue as Money | undefined;
      return {
        ...origin,
        kind: "offer_response",
        offerId: text(data.offerId),
        ...optionalText("campaignId", data.campaignId),
        response: data.response as OfferResponse,
        ...(data.channel ? { channel: data.channel as ContactChannel } : {}),
        ...(revenue ? { revenueMinor: revenue.amountMinor ?? 0 } : {}),
      };
    }
    default: {
      const unhandled: never = event.type;
      return unhandled;
    }
  }
}

function callFact(origin: FactOrigin, data: EventData): CallFact {
  return {
    ...origin,
    kind: "call",
    callId: text(data.callId),
    direction: data.direction as CallFact["direction"],
    purpose: text(data.purpose),
    ...optionalText("outcome", data.outcome),
    ...(typeof data.durationSeconds === "number" ? { durationSeconds: data.durationSeconds } : {}),
    ...optionalText("complaintReference", data.complaintReference),
    ...(data.complaintStatus ? { complaintStatus: data.complaintStatus as CallFact["complaintStatus"] } : {}),
    ...optionalText("campaignId", data.campaignId),
  };
}

function pageViewFact(origin: FactOrigin, data: EventData): PageViewFact {
  const keywords = Array.isArray(data.searchKeywords) ? data.searchKeywords.map(String) : [];
  const visitor = data.customer.identifiers.find((id) => id.type === "cookie_id" || id.type === "device_id");
  return {
    ...origin,
    kind: "page_view",
    page: pathOf(text(data.url)),
    ...optionalText("referrerHost", data.referrerHost),
    ...(keywords.length > 0 ? { searchKeywords: keywords } : {}),
    ...optionalText("browserFamily", data.browserFamily),
    ...optionalText("osFamily", data.osFamily),
    ...optionalText("deviceFamily", data.deviceFamily),
    ...(typeof data.statusCode === "number" ? { statusCode: data.statusCode } : {}),
    ...(visitor ? { visitor: `${visitor.type}:${visitor.value}` } : {}),
  };
}

function linesOf(items: unknown): OrderLine[] {
  if (!Array.isArray(items)) return [];
  return items.map((item: Record<string, unknown>) => {
    const quantity = typeof item.quantity === "number" ? item.quantity : 1;
    const unitPrice = item.unitPrice as Money;
    return {
      productId: text(item.productId),
      ...optionalText("category", item.category),
      quantity,
      amountMinor: quantity * (unitPrice.amountMinor ?? 0),
    };
  });
}

/** "/tea/black?sort=price#top" → "/tea/black"; a full URL keeps only its path. */
export function pathOf(url: string): string {
  const withoutFragment = url.split("#")[0] ?? "";
  const withoutQuery = withoutFragment.split("?")[0] ?? "";
  const schemeEnd = withoutQuery.indexOf("://");
  if (schemeEnd < 0) return withoutQuery || "/";
  const pathStart = withoutQuery.indexOf("/", schemeEnd + 3);
  return pathStart < 0 ? "/" : withoutQuery.slice(pathStart);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function optionalText<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === "string" && value !== "" ? ({ [key]: value } as Record<K, string>) : {};
}
