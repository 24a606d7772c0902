import type { PageViewFact } from "../customer-facts.js";

/** Visits end after 30 minutes without a page view (the web-analytics convention). */
export const sessionGapMs = 30 * 60_000;

export type WebSession = {
  visitor: string;
  startedAt: string;
  endedAt: string;
  entryPage: string;
  exitPage: string;
  pageViews: number;
  referrerHost?: string;
  searchKeywords: string[];
};

/**
 * Page views grouped into sessions per visitor (cookie or device; a customer's views without one
 * count as one visitor): a session ends when the next view of that visitor comes more than 30
 * minutes after the previous one. Views must be in time order (a history's order).
 */
export function sessionsOf(pageViews: readonly PageViewFact[]): WebSession[] {
  const open = new Map<string, { session: WebSession; lastMs: number }>();
  const sessions: WebSession[] = [];
  for (const view of pageViews) {
    const visitor = view.visitor ?? "";
    const atMs = Date.parse(view.time);
    const current = open.get(visitor);
    if (current && atMs - current.lastMs <= sessionGapMs) {
      current.session.endedAt = view.time;
      current.session.exitPage = view.page;
      current.session.pageViews += 1;
      current.session.searchKeywords.push(...(view.searchKeywords ?? []));
      current.lastMs = atMs;
      continue;
    }
    const session: WebSession = {
      visitor,
      startedAt: view.time,
      endedAt: view.time,
      entryPage: view.page,
      exitPage: view.page,
      pageViews: 1,
      ...(view.referrerHost ? { referrerHost: view.referrerHost } : {}),
      searchKeywords: [...(view.searchKeywords ?? [])],
    };
    sessions.push(session);
    open.set(visitor, { session, lastMs: atMs });
  }
  return sessions;
}
