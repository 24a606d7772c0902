import { describe, expect, it } from "vitest";
import { createDataValidator, normaliseEventData } from "../src/index.js";

const validate = createDataValidator();

const call = {
  customer: { identifiers: [{ type: "phone", value: "+821012345678" }], traits: { firstName: "  Ji  Woo " } },
  callId: "c-1",
  direction: "CALL_DIRECTION_INBOUND",
  purpose: "complaint",
  durationSeconds: 240,
  complaintReference: "CMP-7",
  complaintStatus: "open",
};

describe("event data validation", () => {
  it("accepts data that matches the type's schema, with enum values short or in full", () => {
    expect(validate("crm.v1.CallLogged", call)).toEqual({ ok: true });
  });

  it("lists every problem with where it is", () => {
    const result = validate("crm.v1.CallLogged", {
      ...call,
      direction: "sideways",
      durationSeconds: -1,
      call_id: "snake",
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toContain("data/direction must be one of inbound, outbound");
    expect(problems).toContain("data/durationSeconds must be >= 0");
    expect(problems).toContain('data has an unknown property "call_id"');
  });

  it("enforces required fields and ranges declared in the protos", () => {
    const result = validate("crm.v1.SurveyAnswered", { customer: call.customer, nps: 11 });
    const problems = result.ok ? [] : result.problems;
    expect(problems).toContain('data is missing "surveyId"');
    expect(problems).toContain("data/nps must be <= 10");
  });
});

describe("normaliseEventData", () => {
  it("writes enums by their short names and trims names", () => {
    const result = normaliseEventData("crm.v1.CallLogged", call);
    expect(result).toMatchObject({
      ok: true,
      data: { direction: "inbound", purpose: "complaint", customer: { traits: { firstName: "Ji Woo" } } },
    });
  });

  it("upper-cases currencies and country codes and refuses unknown currencies", () => {
    const order = {
      customer: {
        identifiers: [{ type: "customer_number", value: "C1" }],
        traits: { address: { countryCode: "kr", postalCode: " 04524 " } },
      },
      orderId: "o-1",
      total: { amountMinor: 15000, currency: "krw" },
      items: [{ productId: "p", quantity: 1, unitPrice: { amountMinor: 15000, currency: "krw" } }],
    };
    expect(normaliseEventData("crm.v1.OrderPlaced", order)).toMatchObject({
      ok: true,
      data: {
        total: { currency: "KRW" },
        items: [{ unitPrice: { currency: "KRW" } }],
        customer: { traits: { address: { countryCode: "KR", postalCode: "04524" } } },
      },
    });
    const unknown = normaliseEventData("crm.v1.OrderPlaced", {
      ...order,
      total: { amountMinor: 1, currency: "XYZ" },
    });
    expect(unknown).toEqual({
      ok: false,
      problems: ['data/total/currency "XYZ" is not an ISO 4217 currency'],
    });
  });
});
