import { type Parsed, parsedValue, parseProblem } from "./parsed.js";

/** An amount in integer minor units of an ISO 4217 currency, as the event contracts carry money. */
export type Money = { amountMinor: number; currency: string };

const knownCurrencies = new Set(Intl.supportedValuesOf("currency"));

// Plain digits ("1234.50") or digits grouped by thousands with commas ("1,234.50").
const decimal = /^([+-])?(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;
const integer = /^([+-])?\d+$/;

export function parseCurrency(text: string): Parsed<string> {
  const currency = text.trim().toUpperCase();
  return knownCurrencies.has(currency)
    ? parsedValue(currency)
    : parseProblem(`currency "${text}" is not an ISO 4217 currency code, e.g. EUR, KRW`);
}

// Building a NumberFormat costs more than mapping the rest of a row; a file has a handful of currencies.
const minorDigitsByCurrency = new Map<string, number>();

/** How many decimals the currency's minor unit has: KRW and JPY 0, EUR 2, BHD 3. */
export function minorDigitsOf(currency: string): number {
  let digits = minorDigitsByCurrency.get(currency);
  if (digits === undefined) {
    const format = new Intl.NumberFormat("en", { style: "currency", currency });
    // Always set for style "currency"; the type allows otherwise for other styles.
    digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * A decimal amount in major units ("19.99", "1,234.50") as minor units of the currency. More decimals
 * than the currency has would have to be rounded, so they are an error, except zeros ("12000.00" KRW)
 * because those change nothing.
 */
export function parseMajorAmount(text: string, currency: string): Parsed<number> {
  const parts = decimal.exec(text.trim());
  if (!parts) {
    return parseProblem(
      `"${text}" is not a decimal amount; write it like 1234.50 or 1,234.50 (a point before the decimals)`,
    );
  }
  const [, sign = "", whole = "", fraction = ""] = parts;
  const digits = minorDigitsOf(currency);
  const excess = fraction.slice(digits);
  if (/[1-9]/.test(excess)) {
    return parseProblem(
      `"${text}" has ${fraction.length} decimals but ${currency} has ${digits === 0 ? "no minor unit" : `${digits}`}; amounts are not rounded`,
    );
  }
  return safeMinor(
    `${sign}${whole.replaceAll(",", "")}${fraction.slice(0, digits).padEnd(digits, "0")}`,
    text,
  );
}

/** An amount already in minor units ("1999" for 19.99 EUR). */
export function parseMinorAmount(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!integer.test(trimmed)) return parseProblem(`"${text}" is not a whole number of minor units`);
  return safeMinor(trimmed, text);
}

function safeMinor(digits: string, text: string): Parsed<number> {
  const minor = BigInt(digits);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    return parseProblem(`"${text}" is too large an amount`);
  }
  return parsedValue(Number(minor));
}

/** quantity × price, refusing results a JSON number cannot hold exactly. */
export function multiplyMoney(money: Money, factor: number): Parsed<Money> {
  const amountMinor = money.amountMinor * factor;
  return Number.isSafeInteger(amountMinor)
    ? parsedValue({ amountMinor, currency: money.currency })
    : parseProblem(`${factor} × ${money.amountMinor} ${money.currency} minor units is too large an amount`);
}

export function sumMoney(amounts: readonly Money[], currency: string): Parsed<Money> {
  const amountMinor = amounts.reduce((sum, money) => sum + money.amountMinor, 0);
  return Number.isSafeInteger(amountMinor)
    ? parsedValue({ amountMinor, currency })
    : parseProblem("the items add up to too large an amount");
}
