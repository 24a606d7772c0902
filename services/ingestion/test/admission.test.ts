import { describe, expect, it } from "vitest";
import { type AdmissionContext, createAdmission } from "../src/domain/admission.js";

const admission = createAdmission({
  defaultPhoneRegion: "KR",
  maxEventBytes: 4096,
  maxFutureSkewMs: 15 * 60_000,
  weblog: {
    visitorCookieField: 1,
    visitorCookieName: "vid",
    ownHosts: ["shop.example.com"],
    staticAssetExtensions: ["css", "js"],
  },
});

const context: AdmissionContext = { fallbackSource: "orders", now: new Date("2026-03-01T12:00:00Z") };

const orderPlaced = {
  specversion: "1.0",
  id: "order-1001",
  source: "shop",
  type: "crm.v1.OrderPlaced",
  time: "2026-03-01T18:30:00+09:00",
  data: {
    customer: {
      identifiers: [
        { type: "email", value: " Ji.Woo@Example.com " },
        { type: "IDENTIFIER_TYPE_CUSTOMER_NUMBER", value: "C-1001" },
        { type: "phone", value: "010-1234-5678" },
      ],
      traits: { firstName: " Ji-woo ", lastName: "Kim" },
    },
    orderId: "1001",
    total: { amountMinor: 45000, currency: "krw" },
    items: [
      {
        productId: "tea-01",
        category: "tea",
        quantity: 3,
        unitPrice: { amountMinor: 15000, currency: "KRW" },
      },
    ],
  },
};

function admit(event: unknown, given: Partial<AdmissionContext> = {}) {
  return admission.admitCloudEvent(event, JSON.stringify(event).length, { ...context, ...given });
}

describe("admitting a CloudEvent", () => {
  it("accepts a valid event in its canonical form: UTC time, normalised identifiers and money, namespaced id", () => {
    expect(admit(orderPlaced)).toEqual({
      kind: "accepted",
      event: {
        specversion: "1.0",
        id: "shop:order-1001",
        source: "shop",
        type: "crm.v1.OrderPlaced",
        time: "2026-03-01T09:30:00.000Z",
        datacontenttype: "application/json",
        data: {
          customer: {
            identifiers: [
              { type: "email", value: "ji.woo@example.com" },
              { type: "customer_number", value: "C-1001" },
              { type: "phone", value: "+821012345678" },
            ],
            traits: { firstName: "Ji-woo", lastName: "Kim" },
          },
          orderId: "1001",
          total: { amountMinor: 45000, currency: "KRW" },
          items: [
            {
              productId: "tea-01",
              category: "tea",
              quantity: 3,
              unitPrice: { amountMinor: 15000, currency: "KRW" },
            },
          ],
        },
      },
    });
  });

  it("derives the same id for the same content when upstream gives none, whatever the key order", () => {
    const { id: _id, ...withoutId } = orderPlaced;
    const reordered = {
      data: withoutId.data,
      time: withoutId.time,
      type: withoutId.type,
      specversion: "1.0",
      source: "shop",
    };
    const first = admit(withoutId);
    const second = admit(reordered);
    expect(first.kind === "accepted" && first.event.id).toMatch(/^shop:h:[0-9a-f]{32}$/);
    expect(first).toEqual(second);
    const otherAmount = admit({
      ...withoutId,
      data: { ...withoutId.data, total: { amountMinor: 1, currency: "KRW" } },
    });
    expect(otherAmount.kind === "accepted" && otherAmount.event.id).not.toBe(
      first.kind === "accepted" && first.event.id,
    );
  });

  it("takes the source from authentication and the lane when the event names none", () => {
    const { source: _source, ...anonymous } = orderPlaced;
    expect(admit(anonymous)).toMatchObject({ event: { id: "orders:order-1001", source: "orders" } });
    expect(admit(anonymous, { authenticatedSource: "pos" })).toMatchObject({ event: { source: "pos" } });
  });

  it("keeps CloudEvents extension attributes", () => {
    expect(admit({ ...orderPlaced, partnerchannel: "naver-store", "Bad-Name": 1 })).toMatchObject({
      event: { partnerchannel: "naver-store" },
    });
    const result = admit({ ...orderPlaced, "Bad-Name": 1 });
    expect(result.kind === "accepted" && "Bad-Name" in result.event).toBe(false);
  });

  it.each([
    ["a JSON value that is not an object", [orderPlaced], "unparseable", /must be a JSON object/],
    [
      "a CloudEvents version other than 1.0",
      { ...orderPlaced, specversion: "0.3" },
      "schema_violation",
      /specversion must be "1.0"/,
    ],
    [
      "an unknown type",
      { ...orderPlaced, type: "crm.v1.OrderShipped" },
      "unknown_type",
      /"crm.v1.OrderShipped" is not a Rapport event type/,
    ],
    [
      "a time without offset",
      { ...orderPlaced, time: "2026-03-01T18:30:00" },
      "invalid_timestamp",
      /with an offset/,
    ],
    [
      "a time a day ahead",
      { ...orderPlaced, time: "2026-03-02T12:00:00Z" },
      "future_timestamp",
      /more than 900 s after/,
    ],
    [
      "no identifier",
      { ...orderPlaced, data: { ...orderPlaced.data, customer: { identifiers: [] } } },
      "missing_identifier",
      /names no identifier/,
    ],
    [
      "an identifier that is not one",
      {
        ...orderPlaced,
        data: { ...orderPlaced.data, customer: { identifiers: [{ type: "phone", value: "call me" }] } },
      },
      "invalid_identifier",
      /phone "call me" is not a valid phone number/,
    ],
    [
      "data that breaks the schema",
      {
        ...orderPlaced,
        data: { ...orderPlaced.data, orderId: "", total: { amountMinor: 1.5, currency: "KRW" } },
      },
      "schema_violation",
      /data\/orderId must NOT have fewer than 1 characters; data\/total\/amountMinor must be integer/,
    ],
    [
      "an unknown currency",
      { ...orderPlaced, data: { ...orderPlaced.data, total: { amountMinor: 1, currency: "ABC" } } },
      "schema_violation",
      /"ABC" is not an ISO 4217 currency/,
    ],
  ])("rejects %s", (_case, event, reason, detail) => {
    const result = admit(event);
    expect(result).toMatchObject({ kind: "rejected", reason });
    expect(result.kind === "rejected" ? result.detail : "").toMatch(detail);
  });

  it("rejects an event whose source differs from the caller's write key", () => {
    expect(admit(orderPlaced, { authenticatedSource: "callcenter" })).toMatchObject({
      kind: "rejected",
      reason: "source_mismatch",
      detail: 'the event says source "shop" but the write key belongs to "callcenter"',
    });
  });

  it("rejects an event over the size limit before reading it", () => {
    expect(admission.admitCloudEvent(orderPlaced, 4097, context)).toMatchObject({
      kind: "rejected",
      reason: "oversized",
      detail: "the event is 4097 bytes; the limit is 4096 bytes",
    });
  });
});

describe("admitting an access-log line", () => {
  const line =
    '203.0.113.7 - - [01/Mar/2026:20:15:02 +0900] "GET /products/green-tea?ref=nav HTTP/1.1" 200 5120 ' +
    '"https://search.naver.com/search.naver?query=%EB%85%B9%EC%B0%A8" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) ' +
    'AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1" "vid=v-42; theme=dark"';
  const weblogs = { ...context, fallbackSource: "weblogs" };

  it("turns a page view into a PageViewed event of the visitor cookie", () => {
    expect(admission.admitLogLine(line, weblogs)).toMatchObject({
      kind: "accepted",
      event: {
        source: "weblogs",
        type: "crm.v1.PageViewed",
        time: "2026-03-01T11:15:02.000Z",
        data: {
          customer: { identifiers: [{ type: "cookie_id", value: "v-42" }] },
          url: "/products/green-tea?ref=nav",
          referrerHost: "search.naver.com",
          searchKeywords: ["녹차"],
          browserFamily: "Safari",
          osFamily: "iOS",
          deviceFamily: "mobile",
          statusCode: 200,
        },
      },
    });
  });

  it("gives a re-shipped line the same id", () => {
    const first = admission.admitLogLine(line, weblogs);
    const again = admission.admitLogLine(`${line}\r`, weblogs);
    expect(first.kind === "accepted" && first.event.id).toMatch(/^weblogs:h:/);
    expect(again).toEqual(first);
  });

  it("ignores static assets rather than rejecting them", () => {
    expect(admission.admitLogLine(line.replace("/products/green-tea?ref=nav", "/site.css"), weblogs)).toEqual(
      {
        kind: "ignored",
        reason: "static_asset",
      },
    );
  });

  it("rejects a page view without a visitor cookie as missing an identifier", () => {
    expect(admission.admitLogLine(line.replace(' "vid=v-42; theme=dark"', ""), weblogs)).toMatchObject({
      kind: "rejected",
      reason: "missing_identifier",
    });
  });

  it("rejects a line that is not an access-log line", () => {
    expect(admission.admitLogLine("hello world", weblogs)).toMatchObject({
      kind: "rejected",
      reason: "unparseable",
    });
  });
});
