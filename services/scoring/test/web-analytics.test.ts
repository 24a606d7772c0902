import { describe, expect, it } from "vitest";
import type { PageViewFact } from "../src/domain/customer-facts.js";
import { webAnalyticsOf } from "../src/domain/projections/web-analytics.js";
import { day, factsOf, pageView } from "./scoring-fixtures.js";

describe("web analytics", () => {
  it("ranks entry and exit pages, referrers, keywords, browsers, pages, errors and visitors", () => {
    const at = (minutes: number) => new Date(Date.parse(day(0)) + minutes * 60_000).toISOString();
    const views = (events: Parameters<typeof factsOf>[0]) => factsOf(events) as PageViewFact[];
    const analytics = webAnalyticsOf(
      new Map([
        [
          "cus_ann",
          views([
            pageView(at(0), "/", {
              referrerHost: "search.naver.com",
              searchKeywords: ["녹차"],
              browserFamily: "Chrome",
              osFamily: "Windows",
            }),
            pageView(at(5), "/tea/green", { browserFamily: "Chrome", osFamily: "Windows" }),
            pageView(at(100), "/gift/old", { statusCode: 404, browserFamily: "Chrome", osFamily: "Windows" }),
          ]),
        ],
        [
          "cus_bob",
          views([
            pageView(at(1), "/tea/green", {
              referrerHost: "www.google.com",
              browserFamily: "Mobile Safari",
              osFamily: "iOS",
            }),
          ]),
        ],
      ]),
      3,
    );

    expect(analytics).toMatchObject({ pageViews: 4, sessions: 3, visitors: 2 });
    expect(analytics.entryPages).toEqual([
      { value: "/", count: 1 },
      { value: "/gift/old", count: 1 },
      { value: "/tea/green", count: 1 },
    ]);
    expect(analytics.exitPages).toEqual([
      { value: "/tea/green", count: 2 },
      { value: "/gift/old", count: 1 },
    ]);
    expect(analytics.referrers).toEqual([
      { value: "search.naver.com", count: 1 },
      { value: "www.google.com", count: 1 },
    ]);
    expect(analytics.searchKeywords).toEqual([{ value: "녹차", count: 1 }]);
    expect(analytics.browsers[0]).toEqual({ value: "Chrome", count: 3 });
    expect(analytics.mostVisitedPages[0]).toEqual({ value: "/tea/green", count: 2 });
    expect(analytics.leastVisitedPages[0]).toEqual({ value: "/gift/old", count: 1 });
    expect(analytics.errorPages).toEqual([{ value: "/gift/old", count: 1 }]);
    expect(analytics.topVisitors).toEqual([
      { value: "cus_ann", count: 3 },
      { value: "cus_bob", count: 1 },
    ]);
  });
});
