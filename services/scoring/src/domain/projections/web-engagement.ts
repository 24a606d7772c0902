import { type CustomerHistory, factsOfKind } from "../customer-history.js";
import { type RankedCount, rankCounts } from "./ranked-counts.js";
import { sessionsOf } from "./web-sessions.js";

export type WebEngagement = {
  pageViews: number;
  sessions: number;
  meanPageViewsPerSession: number;
  lastVisitAt?: string;
  /** Top-level sections of the site viewed (/tea/green → tea), most first. */
  categoriesViewed: RankedCount[];
  searchKeywords: RankedCount[];
  entryPages: RankedCount[];
  exitPages: RankedCount[];
};

const listed = 5;

export function summariseWeb(history: CustomerHistory): WebEngagement {
  const views = factsOfKind(history, "page_view");
  const sessions = sessionsOf(views);
  const last = views.at(-1);
  return {
    pageViews: views.length,
    sessions: sessions.length,
    meanPageViewsPerSession: sessions.length > 0 ? views.length / sessions.length : 0,
    ...(last ? { lastVisitAt: last.time } : {}),
    categoriesViewed: rankCounts(
      views.map((view) => sectionOf(view.page)).filter((section) => section !== ""),
      listed,
    ),
    searchKeywords: rankCounts(
      sessions.flatMap((session) => session.searchKeywords),
      listed,
    ),
    entryPages: rankCounts(
      sessions.map((session) => session.entryPage),
      listed,
    ),
    exitPages: rankCounts(
      sessions.map((session) => session.exitPage),
      listed,
    ),
  };
}

/** The first segment of a path: "/tea/green" → "tea"; the home page has none. */
export function sectionOf(page: string): string {
  return page.split("/").find((segment) => segment !== "") ?? "";
}
