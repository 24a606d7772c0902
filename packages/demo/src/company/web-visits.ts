import {
  categories,
  categoryPages,
  commonPages,
  searchEngines,
  searchKeywords,
  userAgents,
} from "./catalog.js";
import type { Draws } from "./draws.js";
import { type Delivery, upstreamEvent } from "./upstream.js";

const dayMs = 86_400_000;
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `[24/Nov/2026:01:10:04 +0000]`'s inside: the access log's time, in UTC. */
function logTime(at: number): string {
  const time = new Date(at);
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(time.getUTCDate())}/${months[time.getUTCMonth()]}/${time.getUTCFullYear()}:${two(time.getUTCHours())}:${two(time.getUTCMinutes())}:${two(time.getUTCSeconds())} +0000`;
}

/** One request in the combined log format, with the visitor cookie as the first field after the user agent. */
export function accessLogLine(hit: {
  at: number;
  clientAddress: string;
  path: string;
  referrer?: string;
  userAgent: string;
  cookie: string;
}): string {
  return `${hit.clientAddress} - - [${logTime(hit.at)}] "GET ${hit.path} HTTP/1.1" 200 ${4_000 + hit.path.length * 37} "${hit.referrer ?? "-"}" "${hit.userAgent}" "${hit.cookie}"`;
}

export type Visitor = {
  cookie: string;
  /** The visitor's customer number once they log in; undefined for visitors who never do. */
  customerNumber?: string;
  /** When they first log in on the site: sessions before are anonymous. */
  logsInAt?: number;
  firstVisitAt: number;
  sessions: number;
};

export type WebHistory = { deliveries: Delivery[]; pageViews: number; sessions: number; logins: number };

/**
 * A visitor's sessions on the web shop as the web server logs them (every line with the visitor's
 * cookie), entering from a search engine with a search phrase, directly or from a campaign page, and
 * browsing one category. The first session after the login moment begins with a login: a page view
 * sent by the shop's backend over HTTP with both the cookie and the customer number, which is what
 * lets identity stitch the anonymous history to the customer.
 */
export function webHistoryOf(draws: Draws, visitor: Visitor, now: number): WebHistory {
  const deliveries: Delivery[] = [];
  const userAgent = draws.pick(userAgents);
  const clientAddress = `211.${draws.int(0, 255)}.${draws.int(0, 255)}.${draws.int(1, 254)}`;
  let pageViews = 0;
  let loggedIn = false;
  let logins = 0;
  const span = Math.max(dayMs, now - visitor.firstVisitAt);
  const starts = Array.from({ length: visitor.sessions }, (_, i) =>
    i === 0 ? visitor.firstVisitAt : visitor.firstVisitAt + draws.uniform() * span,
  ).sort((a, b) => a - b);
  for (const start of starts) {
    let at = Math.round(start);
    const category = draws.pick(categories);
    if (!loggedIn && visitor.customerNumber && visitor.logsInAt !== undefined && at >= visitor.logsInAt) {
      loggedIn = true;
      logins += 1;
      deliveries.push({
        path: "http",
        at,
        event: upstreamEvent(
          `login-${visitor.cookie}`,
          "crm.v1.PageViewed",
          at,
          [
            { type: "customer_number", value: visitor.customerNumber },
            { type: "cookie_id", value: visitor.cookie },
          ],
          { url: "/login", pageTitle: "Log in", userAgent, statusCode: 200 },
        ),
      });
      at += 20_000;
    }
    const entry = draws.uniform();
    const referrer =
      entry < 0.45
        ? draws.pick(searchEngines)(draws.pick(searchKeywords[category]))
        : entry < 0.6
          ? "https://m.facebook.com/"
          : undefined;
    const pages = draws.int(1, 4);
    for (let page = 0; page < pages && at <= now; page += 1) {
      const path =
        page === 0 || draws.chance(0.8) ? draws.pick(categoryPages[category]) : draws.pick(commonPages);
      deliveries.push({
        path: "weblog",
        at,
        line: accessLogLine({
          at,
          clientAddress,
          path,
          ...(page === 0 && referrer ? { referrer } : {}),
          userAgent,
          cookie: visitor.cookie,
        }),
      });
      pageViews += 1;
      at += draws.int(15, 240) * 1_000;
    }
  }
  return { deliveries, pageViews, sessions: starts.length, logins };
}
