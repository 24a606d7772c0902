import { describe, expect, it } from "vitest";
import { admissionRulesOf } from "../../../services/ingestion/src/app.js";
import { loadIngestionConfig } from "../../../services/ingestion/src/config.js";
import { createAdmission } from "../../../services/ingestion/src/domain/admission.js";
import { generateCompany } from "../src/company/company.js";
import type { Delivery } from "../src/company/upstream.js";

// Ingestion's own admission, configured as `npm start` runs it for the demo: the visitor cookie is the
// first field after the user agent in the access log.
const admission = createAdmission(
  admissionRulesOf(
    loadIngestionConfig({ INGESTION_WRITE_KEYS: "demo=rapport-dev-key", WEBLOG_VISITOR_COOKIE_FIELD: "1" }),
  ),
);
const now = new Date("2026-11-24T00:00:00Z");
const company = generateCompany({ customers: 1_000, months: 18, seed: 7, now });

function admit(delivery: Delivery) {
  const context = { now, fallbackSource: delivery.path === "kafka" ? delivery.lane : "demo" };
  if (delivery.path === "weblog")
    return admission.admitLogLine(delivery.line, { ...context, authenticatedSource: "demo" });
  const text = JSON.stringify(delivery.event);
  return admission.admitCloudEvent(JSON.parse(text), Buffer.byteLength(text), {
    ...context,
    ...(delivery.path === "http" ? { authenticatedSource: "demo" } : {}),
  });
}

const countOf = (type: string) =>
  company.deliveries.filter((delivery) => delivery.path !== "weblog" && delivery.event.type === type).length;

describe("the demo company", () => {
  it("is accepted by ingestion's admission, delivery for delivery, each with a distinct event id", () => {
    const ids = new Set<string>();
    for (const delivery of company.deliveries) {
      const result = admit(delivery);
      if (result.kind !== "accepted")
        throw new Error(`${JSON.stringify(delivery)}\nwas not accepted: ${JSON.stringify(result)}`);
      ids.add(result.event.id);
    }
    expect(ids.size).toBe(company.deliveries.length);
  }, 120_000);

  it("happens within the months before now, in time order", () => {
    const times = company.deliveries.map((delivery) => delivery.at);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse("2025-05-24T00:00:00Z"));
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("has one sign-up per person plus second sign-ups for a few percent, family phones and anonymous visitors", () => {
    const { facts } = company;
    expect(facts.people).toBe(1_000);
    expect(countOf("crm.v1.CustomerRegistered")).toBe(facts.signUps);
    expect(facts.signUps).toBe(facts.people + facts.duplicateSignUps);
    expect(facts.duplicateSignUps / facts.people).toBeGreaterThan(0.04);
    expect(facts.duplicateSignUps / facts.people).toBeLessThan(0.12);
    expect(facts.familyPhones).toBeGreaterThan(10);
    expect(facts.anonymousVisitors).toBe(50);
  });

  it("has buyers of every kind: most buy, a few buy often, some stopped long ago", () => {
    const orders = company.deliveries.filter(
      (delivery) => delivery.path === "kafka" && delivery.event.type === "crm.v1.OrderPlaced",
    );
    expect(orders).toHaveLength(company.facts.orders);
    const byCustomer = new Map<string, number[]>();
    for (const order of orders) {
      if (order.path === "weblog") continue;
      const key = JSON.stringify(order.event.data.customer.identifiers[0]);
      byCustomer.set(key, [...(byCustomer.get(key) ?? []), order.at]);
    }
    const counts = [...byCustomer.values()].map((times) => times.length);
    expect(counts.filter((count) => count === 1).length).toBeGreaterThan(100);
    expect(counts.filter((count) => count >= 10).length).toBeGreaterThan(10);
    const lapsed = [...byCustomer.values()].filter(
      (times) => now.getTime() - Math.max(...times) > 180 * 86_400_000,
    );
    expect(lapsed.length).toBeGreaterThan(50);
    const revenue = orders.reduce(
      (sum, order) =>
        sum + (order.path === "weblog" ? 0 : (order.event.data.total as { amountMinor: number }).amountMinor),
      0,
    );
    expect(revenue).toBe(company.facts.revenueMinor);
  });

  it("sends orders and calls to the raw topics, sign-ups, consents, surveys and logins over HTTP, page views as log lines", () => {
    const paths = new Map<string, Set<string>>();
    for (const delivery of company.deliveries) {
      const kind = delivery.path === "weblog" ? "access log" : delivery.event.type;
      paths.set(delivery.path, (paths.get(delivery.path) ?? new Set()).add(kind));
    }
    expect([...(paths.get("kafka") ?? [])].sort()).toEqual(["crm.v1.CallLogged", "crm.v1.OrderPlaced"]);
    expect([...(paths.get("http") ?? [])].sort()).toEqual([
      "crm.v1.ConsentChanged",
      "crm.v1.CustomerRegistered",
      "crm.v1.PageViewed",
      "crm.v1.SurveyAnswered",
    ]);
    expect(paths.get("weblog")).toEqual(new Set(["access log"]));
    expect(countOf("crm.v1.PageViewed")).toBe(company.facts.logins);
    expect(company.deliveries.filter((delivery) => delivery.path === "weblog")).toHaveLength(
      company.facts.pageViews,
    );
  });

  it("has complaints and their follow-ups, outbound happy and retention calls, opt-outs and search keywords", () => {
    const calls = company.deliveries.flatMap((delivery) =>
      delivery.path === "kafka" && delivery.event.type === "crm.v1.CallLogged" ? [delivery.event.data] : [],
    );
    const purposes = new Set(calls.map((call) => `${call.direction} ${call.purpose}`));
    for (const expected of [
      "inbound complaint",
      "outbound complaint",
      "outbound happy_call",
      "outbound retention",
    ])
      expect(purposes).toContain(expected);
    expect(calls.filter((call) => call.complaintStatus === "open")).toHaveLength(company.facts.complaints);
    const revoked = company.deliveries.filter(
      (delivery) => delivery.path === "http" && delivery.event.data.status === "revoked",
    );
    expect(revoked.length).toBeGreaterThan(10);
    const searches = company.deliveries.filter(
      (delivery) =>
        delivery.path === "weblog" &&
        /search\.naver\.com|google\.co\.kr|search\.daum\.net/.test(delivery.line),
    );
    expect(searches.length).toBeGreaterThan(100);
  });

  it("is the same company for the same seed, and another for another seed", () => {
    const again = generateCompany({ customers: 1_000, months: 18, seed: 7, now });
    expect(again.facts).toEqual(company.facts);
    expect(again.deliveries.slice(0, 50)).toEqual(company.deliveries.slice(0, 50));
    expect(generateCompany({ customers: 1_000, months: 18, seed: 8, now }).facts).not.toEqual(company.facts);
  }, 60_000);

  it("spans the months asked for", () => {
    const short = generateCompany({ customers: 100, months: 3, seed: 1, now });
    expect(Math.min(...short.deliveries.map((delivery) => delivery.at))).toBeGreaterThanOrEqual(
      Date.parse("2026-08-24T00:00:00Z"),
    );
  });
});

describe("companies of different seeds", () => {
  it("share no customer number, phone, card or cookie, so they can live on one platform", () => {
    const identifiersOf = (seed: number) =>
      new Set(
        generateCompany({ customers: 300, months: 6, seed, now }).deliveries.flatMap((delivery) =>
          delivery.path === "weblog"
            ? [delivery.line.split('"').at(-2) ?? ""]
            : delivery.event.data.customer.identifiers
                .filter((identifier) => identifier.type !== "email")
                .map((identifier) => `${identifier.type}:${identifier.value.replace(/\D/g, "").slice(-8)}`),
        ),
      );
    const first = identifiersOf(1);
    const shared = [...identifiersOf(2)].filter((identifier) => first.has(identifier));
    expect(shared).toEqual([]);
  }, 60_000);
});
