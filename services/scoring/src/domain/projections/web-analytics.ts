import type { PageViewFact } from "../customer-facts.js";
import { type RankedCount, rankCounts } from "./ranked-counts.js";
import { sessionsOf } from "./web-sessions.js";

export type WebAnalytics = {
  pageViews: number;
  sessions: number;
  visitors: number;
  entryPages: RankedCount[];
  exitPages: RankedCount[];
  referrers: RankedCount[];
  searchKeywords: RankedCount[];
  browsers: RankedCount[];
  operatingSystems: RankedCount[];
  mostVisitedPages: RankedCount[];
  leastVisitedPages: RankedCount[];
  errorPages: RankedCount[];
  topVisitors: RankedCount[];
};

/**
 * The web-log analysis of seed 003 over the page views of a period: where visits start and end,
 * who referred them and with which search words, browsers and systems, the busiest and quietest
 * pages, pages that answered with an error, and the customers who visit most.
 */
export function webAnalyticsOf(
  viewsByCustomer: ReadonlyMap<string, readonly PageViewFact[]>,
  top: number,
): WebAnalytics {
  const views = [...viewsByCustomer.values()].flat();
  const sessions = [...viewsByCustomer.values()].flatMap((customerViews) => sessionsOf(customerViews));
  const pages = rankCounts(
    views.map((view) => view.page),
    Number.POSITIVE_INFINITY,
  );
  return {
    pageViews: views.length,
    sessions: sessions.length,
    visitors: [...viewsByCustomer.values()].filter((customerViews) => customerViews.length > 0).length,
    entryPages: rankCounts(
      sessions.map((session) => session.entryPage),
      top,
    ),
    exitPages: rankCounts(
      sessions.map((session) => session.exitPage),
      top,
    ),
    referrers: rankCounts(
      sessions.flatMap((session) => (session.referrerHost ? [session.referrerHost] : [])),
      top,
    ),
    searchKeywords: rankCounts(
      sessions.flatMap((session) => session.searchKeywords),
      top,
    ),
    browsers: rankCounts(
      views.flatMap((view) => (view.browserFamily ? [view.browserFamily] : [])),
      top,
    ),
    operatingSystems: rankCounts(
      views.flatMap((view) => (view.osFamily ? [view.osFamily] : [])),
      top,
    ),
    mostVisitedPages: pages.slice(0, top),
    leastVisitedPages: [...pages].reverse().slice(0, top),
    errorPages: rankCounts(
      views.flatMap((view) => (view.statusCode !== undefined && view.statusCode >= 400 ? [view.page] : [])),
      top,
    ),
    topVisitors: [...viewsByCustomer.entries()]
      .map(([customerId, customerViews]) => ({ value: customerId, count: customerViews.length }))
      .filter((visitor) => visitor.count > 0)
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, top),
  };
}
