import { describe, expect, it } from "vitest";
import { minorDigitsOf, parseCurrency, parseMajorAmount, parseMinorAmount } from "../src/index.js";

describe("amounts in major units become integer minor units of their currency", () => {
  it("knows each currency's minor unit", () => {
    expect(minorDigitsOf("KRW")).toBe(0);
    expect(minorDigitsOf("JPY")).toBe(0);
    expect(minorDigitsOf("EUR")).toBe(2);
    expect(minorDigitsOf("BHD")).toBe(3);
  });

  it.each([
    ["19.99", "EUR", 1999],
    ["19.9", "EUR", 1990],
    ["19", "EUR", 1900],
    ["1,234.50", "EUR", 123450],
    ["12,000", "KRW", 12000],
    ["12000", "KRW", 12000],
    ["1.250", "BHD", 1250],
    ["0.005", "BHD", 5],
    ["-3.50", "EUR", -350],
  ])("%s %s is %i minor units", (text, currency, minor) => {
    expect(parseMajorAmount(text, currency)).toEqual({ ok: true, value: minor });
  });

  it("refuses decimals the currency does not have, rather than rounding", () => {
    expect(parseMajorAmount("19.999", "EUR")).toEqual({
      ok: false,
      detail: '"19.999" has 3 decimals but EUR has 2; amounts are not rounded',
    });
    expect(parseMajorAmount("12000.5", "KRW")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("KRW has no minor unit"),
    });
    expect(parseMajorAmount("1.2345", "BHD").ok).toBe(false);
  });

  it("takes trailing zeros beyond the minor unit, which change nothing (exports print 12000.00 KRW)", () => {
    expect(parseMajorAmount("12000.00", "KRW")).toEqual({ ok: true, value: 12000 });
    expect(parseMajorAmount("19.990", "EUR")).toEqual({ ok: true, value: 1999 });
  });

  it.each(["19,99", "1.234,50", "1,23,4.00", "€19.99", "19.99 EUR", "", ".5", "1e3"])(
    "refuses %j, which is not a plain decimal",
    (text) => {
      expect(parseMajorAmount(text, "EUR").ok).toBe(false);
    },
  );

  it("refuses amounts a JSON number cannot hold exactly", () => {
    expect(parseMajorAmount("90071992547409.92", "EUR").ok).toBe(false);
  });

  it("reads amounts already in minor units", () => {
    expect(parseMinorAmount("1999")).toEqual({ ok: true, value: 1999 });
    expect(parseMinorAmount("19.99").ok).toBe(false);
  });

  it("knows ISO 4217 currencies in any case", () => {
    expect(parseCurrency(" krw ")).toEqual({ ok: true, value: "KRW" });
    expect(parseCurrency("EURO").ok).toBe(false);
  });
});
