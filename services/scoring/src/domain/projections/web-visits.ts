import {
  compareMoments,
  earlierOf,
  laterOf,
  type Moment,
  momentOf,
  type PageViewFact,
} from "../customer-facts.js";
import { addToTallies, combineTallies, mergeEntries, type Tally, withEntry } from "./keyed-entries.js";
import { rankTallied } from "./ranked-counts.js";
import { sectionOf, type WebEngagement } from "./web-engagement.js";
import { sessionGapMs } from "./web-sessions.js";

/** A page view as a session's end: when, and which page. */
export type ViewedPage = Moment & { page: string };

/** One session of a visitor: its first and last page views (30 minutes without a view ends one). */
export type VisitSession = { entry: ViewedPage; exit: ViewedPage };

/** A visitor's sessions, in time order. */
export type VisitorSessions = { visitor: string; sessions: VisitSession[] };

/**
 * A customer's page views, incrementally (the history form is web-engagement.ts): the sessions of
 * each visitor as first and last view, and tallies of sections, search keywords, entry and exit
 * pages. The sessions follow from the view times alone, so a late view extends or joins sessions
 * exactly as it would have had it arrived in time; the state grows with sessions, not with views.
 */
export type WebVisits = {
  pageViews: number;
  lastView?: Moment & { time: string };
  /** Sorted by visitor. */
  visitors: VisitorSessions[];
  sessions: number;
  sections: Tally[];
  searchKeywords: Tally[];
  entryPages: Tally[];
  exitPages: Tally[];
};

export function emptyWebVisits(): WebVisits {
  return {
    pageViews: 0,
    visitors: [],
    sessions: 0,
    sections: [],
    searchKeywords: [],
    entryPages: [],
    exitPages: [],
  };
}

const visitorOf = (visitor: VisitorSessions) => visitor.visitor;

export function recordPageView(web: WebVisits, view: PageViewFact): WebVisits {
  const moment = momentOf(view);
  const viewed: ViewedPage = { ...moment, page: view.page };
  const timed = { ...moment, time: view.time };
  const visitor = view.visitor ?? "";
  const section = sectionOf(view.page);
  let searchKeywords = web.searchKeywords;
  for (const keyword of view.searchKeywords ?? []) searchKeywords = addToTallies(searchKeywords, keyword);
  let { sessions, entryPages, exitPages } = web;
  const visitors = withEntry(web.visitors, visitor, visitorOf, (existing) => {
    const placed = placeView(existing?.sessions ?? [], viewed);
    sessions += 1 - placed.removed.length;
    for (const removed of placed.removed) {
      entryPages = addToTallies(entryPages, removed.entry.page, -1);
      exitPages = addToTallies(exitPages, removed.exit.page, -1);
    }
    entryPages = addToTallies(entryPages, placed.session.entry.page);
    exitPages = addToTallies(exitPages, placed.session.exit.page);
    return { visitor, sessions: placed.sessions };
  });
  return {
    pageViews: web.pageViews + 1,
    lastView: web.lastView ? laterOf(web.lastView, timed) : timed,
    visitors,
    sessions,
    sections: section === "" ? web.sections : addToTallies(web.sections, section),
    searchKeywords,
    entryPages,
    exitPages,
  };
}

export function combineWebVisits(a: WebVisits, b: WebVisits): WebVisits {
  if (b.pageViews === 0) return a;
  if (a.pageViews === 0) return b;
  const visitors = mergeEntries(a.visitors, b.visitors, visitorOf, (x, y) => ({
    visitor: x.visitor,
    sessions: joinSessions(x.sessions, y.sessions),
  }));
  let entryPages: Tally[] = [];
  let exitPages: Tally[] = [];
  let sessions = 0;
  for (const visitor of visitors) {
    for (const session of visitor.sessions) {
      sessions += 1;
      entryPages = addToTallies(entryPages, session.entry.page);
      exitPages = addToTallies(exitPages, session.exit.page);
    }
  }
  return {
    pageViews: a.pageViews + b.pageViews,
    ...(a.lastView && b.lastView ? { lastView: laterOf(a.lastView, b.lastView) } : {}),
    visitors,
    sessions,
    sections: combineTallies(a.sections, b.sections),
    searchKeywords: combineTallies(a.searchKeywords, b.searchKeywords),
    entryPages,
    exitPages,
  };
}

const listed = 5;

/** The web engagement, as summariseWeb gives it for the same page views. */
export function summariseWebVisits(web: WebVisits): WebEngagement {
  return {
    pageViews: web.pageViews,
    sessions: web.sessions,
    meanPageViewsPerSession: web.sessions > 0 ? web.pageViews / web.sessions : 0,
    ...(web.lastView ? { lastVisitAt: web.lastView.time } : {}),
    categoriesViewed: rankTallied(web.sections, listed),
    searchKeywords: rankTallied(web.searchKeywords, listed),
    entryPages: rankTallied(web.entryPages, listed),
    exitPages: rankTallied(web.exitPages, listed),
  };
}

/**
 * A visitor's sessions with one more view: it joins the session before it when it comes within 30
 * minutes of that session's last view (or inside it), the session after it when that session's
 * first view comes within 30 minutes, both when it bridges them, and starts a session otherwise.
 * Sessions are apart by more than 30 minutes, so no other session can be reached.
 */
function placeView(
  sessions: readonly VisitSession[],
  view: ViewedPage,
): { sessions: VisitSession[]; session: VisitSession; removed: VisitSession[] } {
  const before = lastStartingBy(sessions, view.at);
  const previous = before >= 0 ? sessions[before] : undefined;
  const next = sessions[before + 1];
  const joinsPrevious = previous !== undefined && view.at - previous.exit.at <= sessionGapMs;
  const joinsNext = next !== undefined && next.entry.at - view.at <= sessionGapMs;
  const removed: VisitSession[] = [];
  let entry = view;
  let exit = view;
  if (joinsPrevious) {
    removed.push(previous);
    entry = earlierOf(previous.entry, entry);
    exit = laterOf(previous.exit, exit);
  }
  if (joinsNext) {
    removed.push(next);
    entry = earlierOf(next.entry, entry);
    exit = laterOf(next.exit, exit);
  }
  const session = { entry, exit };
  const copy = [...sessions];
  const start = joinsPrevious ? before : before + 1;
  copy.splice(start, removed.length, session);
  return { sessions: copy, session, removed };
}

/** The index of the last session starting at or before `at` (-1 when none does). */
function lastStartingBy(sessions: readonly VisitSession[], at: number): number {
  let low = 0;
  let high = sessions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sessions[middle] as VisitSession).entry.at <= at) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** Two visitors' sessions as one visitor's: in time order, joined where they come within 30 minutes. */
function joinSessions(a: readonly VisitSession[], b: readonly VisitSession[]): VisitSession[] {
  const all = [...a, ...b].sort((x, y) => compareMoments(x.entry, y.entry));
  const joined: VisitSession[] = [];
  for (const session of all) {
    const last = joined.at(-1);
    if (last && session.entry.at - last.exit.at <= sessionGapMs) {
      joined[joined.length - 1] = {
        entry: earlierOf(last.entry, session.entry),
        exit: laterOf(last.exit, session.exit),
      };
    } else joined.push(session);
  }
  return joined;
}
