import { readFileSync } from "node:fs";
import { z } from "zod";
import type { CurrencyRates, DailyRate, ExchangeRates } from "./domain/exchange-rates.js";

/** A rate as the operator wrote it: one major unit of the currency in the reporting currency. */
export type GivenRate = { currency: string; rate: number };
/** A rate from a UTC day (YYYY-MM-DD) on. */
export type GivenDayRate = GivenRate & { day: string };

type Parsed<Rate> = { rates: Rate[]; problems: string[] };

const knownCurrencies = new Set(Intl.supportedValuesOf("currency"));
const ratePattern = /^\d+(\.\d+)?$/;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const fixedExample = "USD=1350.5,EUR=1480";
// Problems shown at once: enough to see a pattern, few enough to read.
const problemsShown = 10;

/** `USD=1350.5,EUR=1480`: one major unit of each currency in major units of the reporting currency. */
export function parseFixedRates(text: string): Parsed<GivenRate> {
  const rates: GivenRate[] = [];
  const problems: string[] = [];
  for (const item of text.split(",").map((part) => part.trim())) {
    if (item === "") continue;
    const [code = "", rate = "", ...rest] = item.split("=").map((part) => part.trim());
    if (rest.length > 0 || !item.includes("=")) {
      problems.push(`"${item}" is not CURRENCY=RATE; write e.g. ${fixedExample}`);
      continue;
    }
    const given = givenRate(code, rate);
    if (typeof given === "string") problems.push(given);
    else if (rates.some((known) => known.currency === given.currency))
      problems.push(`${given.currency} has two rates; give it one`);
    else rates.push(given);
  }
  return { rates, problems };
}

/**
 * A CSV file with the header `date,currency,rate` and one line per currency and UTC day
 * (`2026-03-02,USD,1350.5`): a rate holds from its day until the currency's next one.
 */
export function parseDailyRates(csv: string): Parsed<GivenDayRate> {
  const lines = csv.split(/\r?\n/);
  const header = (lines[0] ?? "").replaceAll(/\s/g, "").toLowerCase();
  if (header !== "date,currency,rate")
    return { rates: [], problems: ['line 1 must be the header "date,currency,rate"'] };
  const rates: GivenDayRate[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [index, line] of lines.entries()) {
    if (index === 0 || line.trim() === "") continue;
    const at = `line ${index + 1}`;
    const fields = line.split(",").map((field) => field.trim());
    if (fields.length !== 3) {
      problems.push(`${at}: "${line}" is not date,currency,rate; write e.g. 2026-03-02,USD,1350.5`);
      continue;
    }
    const [day = "", code = "", rate = ""] = fields;
    if (!isDay(day)) {
      problems.push(`${at}: "${day}" is not a day; write it as YYYY-MM-DD`);
      continue;
    }
    const given = givenRate(code, rate);
    if (typeof given === "string") problems.push(`${at}: ${given}`);
    else if (seen.has(`${given.currency} ${day}`))
      problems.push(`${at}: ${given.currency} has a second rate on ${day}; give each day one`);
    else {
      seen.add(`${given.currency} ${day}`);
      rates.push({ ...given, day });
    }
  }
  if (problems.length === 0 && rates.length === 0) problems.push("has no rates below its header");
  return { rates, problems };
}

function givenRate(code: string, rate: string): GivenRate | string {
  const currency = code.toUpperCase();
  if (!knownCurrencies.has(currency)) return `"${code}" is not an ISO 4217 currency code, e.g. USD, EUR`;
  const value = Number(rate);
  if (!ratePattern.test(rate) || !(value > 0))
    return `${currency}'s rate "${rate}" is not a positive number; write e.g. 1350.5 (a point before the decimals)`;
  return { currency, rate: value };
}

function isDay(text: string): boolean {
  if (!dayPattern.test(text)) return false;
  const instant = Date.parse(`${text}T00:00:00.000Z`);
  return !Number.isNaN(instant) && new Date(instant).toISOString().startsWith(text);
}

function reportProblems(problems: readonly string[], ctx: z.RefinementCtx): void {
  for (const problem of problems.slice(0, problemsShown)) ctx.addIssue({ code: "custom", message: problem });
  if (problems.length > problemsShown)
    ctx.addIssue({ code: "custom", message: `and ${problems.length - problemsShown} more problems` });
}

export const exchangeRateConfig = {
  /** Fixed rates to SCORING_CURRENCY, e.g. USD=1350.5,EUR=1480 (one USD is 1,350.5 KRW). */
  SCORING_EXCHANGE_RATES: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const { rates, problems } = parseFixedRates(text);
      reportProblems(problems, ctx);
      return rates;
    }),
  /** A CSV file of rates per day to SCORING_CURRENCY: `date,currency,rate`. */
  SCORING_EXCHANGE_RATES_FILE: z
    .string()
    .default("")
    .transform((path, ctx): GivenDayRate[] => {
      if (path.trim() === "") return [];
      let csv: string;
      try {
        csv = readFileSync(path.trim(), "utf8");
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        ctx.addIssue({ code: "custom", message: `cannot read the file (${reason})` });
        return [];
      }
      const { rates, problems } = parseDailyRates(csv);
      reportProblems(problems, ctx);
      return rates;
    }),
};

/**
 * What is wrong with the rates given together (none when they agree): a rate of the reporting
 * currency itself, or one currency given both fixed and per day.
 */
export function exchangeRateProblems(
  reportingCurrency: string,
  fixed: readonly GivenRate[],
  daily: readonly GivenDayRate[],
): { variable: "SCORING_EXCHANGE_RATES" | "SCORING_EXCHANGE_RATES_FILE"; message: string }[] {
  const problems: ReturnType<typeof exchangeRateProblems> = [];
  const reporting = `${reportingCurrency} is SCORING_CURRENCY, the currency rates convert to; give rates of other currencies`;
  if (fixed.some((rate) => rate.currency === reportingCurrency))
    problems.push({ variable: "SCORING_EXCHANGE_RATES", message: reporting });
  if (daily.some((rate) => rate.currency === reportingCurrency))
    problems.push({ variable: "SCORING_EXCHANGE_RATES_FILE", message: reporting });
  const dailyCurrencies = new Set(daily.map((rate) => rate.currency));
  for (const { currency } of fixed)
    if (dailyCurrencies.has(currency))
      problems.push({
        variable: "SCORING_EXCHANGE_RATES",
        message: `${currency} also has rates per day in SCORING_EXCHANGE_RATES_FILE; give it one or the other`,
      });
  return problems;
}

/** The rates by currency: fixed ones, and per-day ones in day order. */
export function exchangeRatesOf(fixed: readonly GivenRate[], daily: readonly GivenDayRate[]): ExchangeRates {
  const rates = new Map<string, CurrencyRates>();
  for (const { currency, rate } of fixed) rates.set(currency, { kind: "fixed", rate });
  const daysByCurrency = new Map<string, DailyRate[]>();
  for (const { currency, rate, day } of daily) {
    const days = daysByCurrency.get(currency) ?? [];
    days.push({ day, from: Date.parse(`${day}T00:00:00.000Z`), rate });
    daysByCurrency.set(currency, days);
  }
  for (const [currency, days] of daysByCurrency)
    rates.set(currency, { kind: "daily", days: days.sort((a, b) => a.from - b.from) });
  return rates;
}
