import { describe, expect, it } from "vitest";
import type { OfferPresentationFact } from "../src/domain/customer-facts.js";
import { recordFact } from "../src/domain/customer-history.js";
import { consentsOf } from "../src/domain/projections/consents.js";
import { summariseContacts } from "../src/domain/projections/contact-history.js";
import { summariseService } from "../src/domain/projections/service-summary.js";
import { npsClassOf, summariseSurveys } from "../src/domain/projections/survey-sentiment.js";
import { summariseWeb } from "../src/domain/projections/web-engagement.js";
import { call, customerEvent, day, historyOf, pageView } from "./scoring-fixtures.js";

describe("the service history", () => {
  it("follows a complaint across calls to its resolution, whatever order the calls arrive in", () => {
    const calls = [
      call(day(3), {
        direction: "outbound",
        purpose: "complaint",
        complaintReference: "CMP-1",
        complaintStatus: "resolved",
        outcome: "completed",
      }),
      call(day(1), {
        direction: "inbound",
        purpose: "complaint",
        complaintReference: "CMP-1",
        complaintStatus: "open",
      }),
      call(day(2), { direction: "inbound", purpose: "inquiry" }),
      call(day(5), {
        direction: "inbound",
        purpose: "complaint",
        complaintReference: "CMP-2",
        complaintStatus: "open",
      }),
    ];

    const service = summariseService(historyOf(calls));

    expect(service).toMatchObject({
      inboundCalls: 3,
      outboundCalls: 1,
      callsByPurpose: { complaint: 3, inquiry: 1 },
      openComplaints: 1,
      resolvedComplaints: 1,
      meanDaysToResolve: 2,
      lastContactAt: day(5),
    });
    expect(service.complaints).toContainEqual({
      reference: "CMP-1",
      state: "resolved",
      openedAt: day(1),
      resolvedAt: day(3),
    });
    expect(summariseService(historyOf([...calls].reverse()))).toEqual(service);
  });
});

describe("web engagement", () => {
  it("splits visits after 30 minutes of inactivity and ranks entry and exit pages", () => {
    const at = (minutes: number) => new Date(Date.parse(day(0)) + minutes * 60_000).toISOString();
    const history = historyOf([
      pageView(at(0), "/?utm=mail", { searchKeywords: ["green tea"], referrerHost: "www.google.com" }),
      pageView(at(10), "/tea/green"),
      pageView(at(39), "/cart"),
      // 31 minutes later: a new visit.
      pageView(at(70), "/tea/black?sort=price"),
      pageView(at(75), "https://shop.example.com/gift/holiday#top"),
    ]);

    const web = summariseWeb(history);

    expect(web).toMatchObject({
      pageViews: 5,
      sessions: 2,
      meanPageViewsPerSession: 2.5,
      lastVisitAt: at(75),
    });
    expect(web.entryPages).toEqual([
      { value: "/", count: 1 },
      { value: "/tea/black", count: 1 },
    ]);
    expect(web.exitPages).toEqual([
      { value: "/cart", count: 1 },
      { value: "/gift/holiday", count: 1 },
    ]);
    expect(web.categoriesViewed).toEqual([
      { value: "tea", count: 2 },
      { value: "cart", count: 1 },
      { value: "gift", count: 1 },
    ]);
    expect(web.searchKeywords).toEqual([{ value: "green tea", count: 1 }]);
  });
});

describe("survey sentiment", () => {
  it("classes NPS answers", () => {
    expect([0, 6, 7, 8, 9, 10].map(npsClassOf)).toEqual([
      "detractor",
      "detractor",
      "passive",
      "passive",
      "promoter",
      "promoter",
    ]);
  });

  it("takes the latest NPS by event time, not by arrival, and the CSAT trend against earlier answers", () => {
    const history = historyOf([
      customerEvent("crm.v1.SurveyAnswered", day(20), { surveyId: "s2", nps: 10, csat: 5 }),
      customerEvent("crm.v1.SurveyAnswered", day(10), { surveyId: "s1", nps: 3, csat: 2 }),
      customerEvent("crm.v1.SurveyAnswered", day(15), { surveyId: "s3", csat: 3 }),
    ]);

    expect(summariseSurveys(history)).toEqual({
      surveysAnswered: 3,
      latestNps: 10,
      latestNpsClass: "promoter",
      latestNpsAt: day(20),
      csatAverage: 10 / 3,
      csatTrend: 5 - 2.5,
    });
  });
});

describe("consents", () => {
  it("stand at the latest change per channel, and a revocation wins a tie", () => {
    const history = historyOf([
      customerEvent("crm.v1.ConsentChanged", day(1), { channel: "email", status: "granted" }),
      customerEvent("crm.v1.ConsentChanged", day(5), {
        channel: "email",
        status: "revoked",
        source: "unsubscribe_link",
      }),
      customerEvent("crm.v1.ConsentChanged", day(3), { channel: "phone", status: "granted" }),
      customerEvent("crm.v1.ConsentChanged", day(3), { channel: "phone", status: "revoked" }),
      customerEvent("crm.v1.ConsentChanged", day(3), { channel: "phone", status: "granted" }),
    ]);

    expect(consentsOf(history)).toEqual([
      { channel: "email", status: "revoked", changedAt: day(5), via: "unsubscribe_link" },
      { channel: "phone", status: "revoked", changedAt: day(3) },
    ]);
  });
});

describe("the contact history", () => {
  it("keeps outbound calls, offers presented and responses, with the contacts of the last 30 days", () => {
    const presented: OfferPresentationFact = {
      eventId: "offer:presentation-1",
      time: day(44),
      source: "rapport/offer",
      kind: "offer_presented",
      offerId: "welcome-10",
      channel: "email",
    };
    const events = historyOf([
      call(day(1), { direction: "outbound", purpose: "happy_call", outcome: "completed" }),
      call(day(40), { direction: "outbound", purpose: "retention", outcome: "no_answer" }),
      call(day(41), { direction: "inbound", purpose: "order" }),
      customerEvent("crm.v1.OfferResponded", day(45), {
        offerId: "welcome-10",
        response: "converted",
        revenue: { amountMinor: 25_000, currency: "KRW" },
      }),
    ]);
    const history = recordFact(events, presented);

    expect(summariseContacts(history, Date.parse(day(50)))).toEqual({
      outboundCalls: 2,
      outboundCallsReached: 1,
      offersPresented: 1,
      offerResponses: { accepted: 0, declined: 0, no_answer: 0, converted: 1 },
      offerRevenueMinor: 25_000,
      lastContactAt: day(45),
      contactsLast30Days: 3,
    });
  });
});
