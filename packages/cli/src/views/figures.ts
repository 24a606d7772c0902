import { minorDigitsOf } from "../import/money.js";

/** How the views write numbers, money, rates and times: the same everywhere, whatever the locale. */

export const count = (value: number) => value.toLocaleString("en-US");

/** A figure of a model or a score: at most `digits` decimals. */
export const decimal = (value: number, digits = 2) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits });

/** A rate or probability as a percentage with one decimal. */
export const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** A difference of rates in percentage points, signed. */
export const points = (difference: number) =>
  `${difference >= 0 ? "+" : "−"}${Math.abs(difference * 100).toFixed(1)} points`;

/**
 * An amount in minor units: in major units with the currency when it is known ("27,500 KRW",
 * "19.99 EUR"), else the minor units as they are.
 */
export function money(amountMinor: number, currency = ""): string {
  if (currency === "") return count(amountMinor);
  const digits = minorDigitsOf(currency);
  const major = (amountMinor / 10 ** digits).toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${major} ${currency}`;
}

/** An instant as UTC to the minute ("2026-03-01 09:30"); "never" when empty. */
export function moment(instant: string): string {
  if (instant === "") return "never";
  const time = Date.parse(instant);
  if (Number.isNaN(time)) return instant;
  return new Date(time).toISOString().slice(0, 16).replace("T", " ");
}

/** An optional figure: written, or a dash when absent. */
export function optional<T>(value: T | undefined, write: (present: T) => string): string {
  return value === undefined ? "–" : write(value);
}
