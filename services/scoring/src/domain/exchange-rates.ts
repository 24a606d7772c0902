/** A rate that holds from the start of a UTC day until the next day the currency has one. */
export type DailyRate = { day: string; from: number; rate: number };

/**
 * What one major unit of a currency is worth in major units of the reporting currency, as the
 * operator gives it: fixed for every day, or per day (in day order).
 */
export type CurrencyRates = { kind: "fixed"; rate: number } | { kind: "daily"; days: readonly DailyRate[] };

/** The operator's rates to the reporting currency, by ISO 4217 code of the currency converted. */
export type ExchangeRates = ReadonlyMap<string, CurrencyRates>;

/** The currency's rate at an instant: fixed, or the rate of its UTC day, else of the latest earlier day. */
export function rateAt(rates: ExchangeRates, currency: string, at: number): number | undefined {
  const known = rates.get(currency);
  if (known === undefined) return undefined;
  if (known.kind === "fixed") return known.rate;
  let low = 0;
  let high = known.days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((known.days[middle] as DailyRate).from <= at) low = middle + 1;
    else high = middle;
  }
  return known.days[low - 1]?.rate;
}

/** The first UTC day the currency has a rate (YYYY-MM-DD); undefined when the rate is fixed (every day). */
export function firstRatedDay(rates: CurrencyRates): string | undefined {
  return rates.kind === "fixed" ? undefined : rates.days[0]?.day;
}

const minorDigitsByCurrency = new Map<string, number>();

/** How many decimals the currency's minor unit has: KRW and JPY 0, USD and EUR 2, BHD 3. */
export function minorDigitsOf(currency: string): number {
  let digits = minorDigitsByCurrency.get(currency);
  if (digits === undefined) {
    // Always set for style "currency"; the type allows otherwise for other styles.
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
      2;
    minorDigitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * What one minor unit of `from` is worth in minor units of `to` at a rate between their major
 * units: 1 USD = 1,350.5 KRW makes a cent 13.505 KRW (KRW has no minor unit, USD two decimals).
 */
export function minorUnitFactor(from: string, to: string, rate: number): number {
  const shift = minorDigitsOf(to) - minorDigitsOf(from);
  return shift >= 0 ? rate * 10 ** shift : rate / 10 ** -shift;
}
