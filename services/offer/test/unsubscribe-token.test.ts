import { describe, expect, it } from "vitest";
import { readUnsubscribeToken, unsubscribeTokenOf } from "../src/domain/unsubscribe-token.js";

const secret = "a-secret-of-sixteen-or-more";

describe("unsubscribe tokens", () => {
  it("read back as the customer and address they were made for", () => {
    const token = unsubscribeTokenOf({ customerId: "cus_1", email: "ann@example.com" }, secret);
    expect(readUnsubscribeToken(token, secret)).toEqual({ customerId: "cus_1", email: "ann@example.com" });
  });

  it("refuse a token whose payload was changed", () => {
    const token = unsubscribeTokenOf({ customerId: "cus_1", email: "ann@example.com" }, secret);
    const other = unsubscribeTokenOf({ customerId: "cus_2", email: "bob@example.com" }, secret);
    const forged = `${other.split(".")[0]}.${token.split(".")[1]}`;
    expect(readUnsubscribeToken(forged, secret)).toMatch(/signature does not match/);
  });

  it("refuse a token signed with another secret, and text that is no token", () => {
    const token = unsubscribeTokenOf(
      { customerId: "cus_1", email: "ann@example.com" },
      "another-secret-entirely",
    );
    expect(readUnsubscribeToken(token, secret)).toMatch(/signature does not match/);
    expect(readUnsubscribeToken("hello", secret)).toMatch(/not an unsubscribe token/);
  });
});
