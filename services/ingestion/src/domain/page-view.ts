import type { WeblogHit } from "./weblog/combined-log-line.js";

/**
 * The CloudEvent a page-view log line stands for. The visitor cookie is the identifier; without one
 * the event names no customer and admission rejects it as missing_identifier.
 */
export function pageViewedEvent(hit: WeblogHit): Record<string, unknown> {
  return {
    specversion: "1.0",
    type: "crm.v1.PageViewed",
    time: hit.occurredAt,
    data: {
      customer: { identifiers: hit.visitorCookie ? [{ type: "cookie_id", value: hit.visitorCookie }] : [] },
      url: hit.url,
      ...(hit.referrer ? { referrer: hit.referrer } : {}),
      ...(hit.referrerHost ? { referrerHost: hit.referrerHost } : {}),
      searchKeywords: hit.searchKeywords,
      ...(hit.userAgent ? { userAgent: hit.userAgent } : {}),
      browserFamily: hit.browserFamily,
      osFamily: hit.osFamily,
      deviceFamily: hit.deviceFamily,
      statusCode: hit.statusCode,
    },
  };
}
