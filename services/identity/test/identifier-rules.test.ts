import { describe, expect, it } from "vitest";
import { byPriority, defaultIdentityRules, identityRules } from "../src/domain/identifier-rules.js";
import { cookie, customerNumber, email, loyaltyCard, phone } from "./identity-fixtures.js";

describe("identifier rules", () => {
  it("defaults to customer number > loyalty card > email > phone > device > cookie", () => {
    expect(defaultIdentityRules.priority).toEqual([
      "customer_number",
      "loyalty_card",
      "email",
      "phone",
      "device_id",
      "cookie_id",
    ]);
    expect(defaultIdentityRules.limits).toEqual({
      customer_number: 1,
      email: 5,
      phone: 5,
      loyalty_card: 3,
      device_id: 20,
      cookie_id: 100,
    });
  });

  it("orders an event's identifiers strongest first, keeping the event's order within a type", () => {
    expect(
      byPriority(defaultIdentityRules, [
        cookie("k1"),
        email("b@example.com"),
        customerNumber("C-1"),
        email("a@example.com"),
        loyaltyCard("L-1"),
        email("b@example.com"),
      ]),
    ).toEqual([
      customerNumber("C-1"),
      loyaltyCard("L-1"),
      email("b@example.com"),
      email("a@example.com"),
      cookie("k1"),
    ]);
  });

  it("takes configured priority and limits over the defaults", () => {
    const rules = identityRules({
      priority: ["email", "customer_number", "loyalty_card", "phone", "device_id", "cookie_id"],
      limits: { email: 2 },
    });

    expect(
      byPriority(rules, [phone("+821011112222"), customerNumber("C-1"), email("a@example.com")]),
    ).toEqual([email("a@example.com"), customerNumber("C-1"), phone("+821011112222")]);
    expect(rules.limits).toMatchObject({ email: 2, phone: 5 });
  });

  it("rejects a priority list that misses a type, and a limit below one", () => {
    expect(() => identityRules({ priority: ["email", "phone"] })).toThrow(/exactly once/);
    expect(() => identityRules({ limits: { cookie_id: 0 } })).toThrow(/≥ 1/);
  });
});
