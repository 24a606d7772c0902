import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationError } from "@rapport/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScoringConfig, scoringSettingsOf } from "../src/config.js";
import { rateAt } from "../src/domain/exchange-rates.js";
import { parseDailyRates, parseFixedRates } from "../src/exchange-rate-config.js";

let directory = "";

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "rapport-rates-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function ratesFile(name: string, lines: readonly string[]): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

function configurationProblem(env: Record<string, string>): string {
  try {
    loadScoringConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("the exchange rates scoring is given", () => {
  it("reads fixed rates and rates per day into the order settings", async () => {
    const file = await ratesFile("daily.csv", [
      "date,currency,rate",
      "2026-01-10,EUR,1500",
      "2026-01-03,eur,1480.25",
      "",
    ]);
    const { orders } = scoringSettingsOf(
      loadScoringConfig({
        SCORING_EXCHANGE_RATES: " USD=1350.5, jpy=9.1 ",
        SCORING_EXCHANGE_RATES_FILE: file,
      }),
    );

    expect(orders.currency).toBe("KRW");
    expect([...orders.rates.keys()].sort()).toEqual(["EUR", "JPY", "USD"]);
    expect(rateAt(orders.rates, "USD", Date.parse("1999-01-01T00:00:00Z"))).toBe(1350.5);
    expect(rateAt(orders.rates, "JPY", 0)).toBe(9.1);
    expect(rateAt(orders.rates, "EUR", Date.parse("2026-01-02T23:59:59Z"))).toBeUndefined();
    expect(rateAt(orders.rates, "EUR", Date.parse("2026-01-09T10:00:00Z"))).toBe(1480.25);
    expect(rateAt(orders.rates, "EUR", Date.parse("2026-01-10T00:00:00Z"))).toBe(1500);
  });

  it("has none unless given: every other currency is unvalued", () => {
    expect(scoringSettingsOf(loadScoringConfig({})).orders.rates.size).toBe(0);
  });

  it("refuses fixed rates it cannot read, saying what to write", () => {
    expect(parseFixedRates("USD:1350,EUR=abc,XYZ=2,EUR=1,USD=1=2,GBP=0").problems).toEqual([
      '"USD:1350" is not CURRENCY=RATE; write e.g. USD=1350.5,EUR=1480',
      'EUR\'s rate "abc" is not a positive number; write e.g. 1350.5 (a point before the decimals)',
      '"XYZ" is not an ISO 4217 currency code, e.g. USD, EUR',
      '"USD=1=2" is not CURRENCY=RATE; write e.g. USD=1350.5,EUR=1480',
      'GBP\'s rate "0" is not a positive number; write e.g. 1350.5 (a point before the decimals)',
    ]);
    expect(parseFixedRates("USD=1,USD=2").problems).toEqual(["USD has two rates; give it one"]);
    expect(configurationProblem({ SCORING_EXCHANGE_RATES: "USD=1,350" })).toContain(
      'SCORING_EXCHANGE_RATES: "350" is not CURRENCY=RATE',
    );
  });

  it("refuses a rates file it cannot read, naming the line", async () => {
    expect(parseDailyRates("day,code,rate\n2026-01-01,USD,1").problems).toEqual([
      'line 1 must be the header "date,currency,rate"',
    ]);
    expect(parseDailyRates("date,currency,rate\n").problems).toEqual(["has no rates below its header"]);
    expect(
      parseDailyRates(
        [
          "date,currency,rate",
          "2026-02-30,USD,1",
          "2026-03-01,USD",
          "2026-03-01,USD,1,350",
          "2026-03-02,USD,-1",
          "2026-03-03,USD,1300",
          "2026-03-03,usd,1301",
        ].join("\r\n"),
      ).problems,
    ).toEqual([
      'line 2: "2026-02-30" is not a day; write it as YYYY-MM-DD',
      'line 3: "2026-03-01,USD" is not date,currency,rate; write e.g. 2026-03-02,USD,1350.5',
      'line 4: "2026-03-01,USD,1,350" is not date,currency,rate; write e.g. 2026-03-02,USD,1350.5',
      'line 5: USD\'s rate "-1" is not a positive number; write e.g. 1350.5 (a point before the decimals)',
      "line 7: USD has a second rate on 2026-03-03; give each day one",
    ]);
    const missing = join(directory, "missing.csv");
    expect(configurationProblem({ SCORING_EXCHANGE_RATES_FILE: missing })).toContain(
      `SCORING_EXCHANGE_RATES_FILE: cannot read the file (ENOENT) (got "${missing}")`,
    );
  });

  it("shows the first ten problems of a file and how many more there are", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `2026-01-${String(i + 1).padStart(2, "0")},USD,x`);
    const file = await ratesFile("bad.csv", ["date,currency,rate", ...lines]);
    const problem = configurationProblem({ SCORING_EXCHANGE_RATES_FILE: file });

    expect(problem).toContain("line 11:");
    expect(problem).not.toContain("line 12:");
    expect(problem).toContain("and 2 more problems");
  });

  it("refuses a rate of the reporting currency, and a currency given both fixed and per day", async () => {
    const file = await ratesFile("overlap.csv", ["date,currency,rate", "2026-01-01,USD,1300"]);
    const problem = configurationProblem({
      SCORING_CURRENCY: "usd",
      SCORING_EXCHANGE_RATES: "USD=1,EUR=1.1",
      SCORING_EXCHANGE_RATES_FILE: file,
    });

    expect(problem).toContain(
      "SCORING_EXCHANGE_RATES: USD is SCORING_CURRENCY, the currency rates convert to; give rates of other currencies",
    );
    expect(problem).toContain("SCORING_EXCHANGE_RATES_FILE: USD is SCORING_CURRENCY");
    expect(
      configurationProblem({ SCORING_EXCHANGE_RATES: "USD=1350", SCORING_EXCHANGE_RATES_FILE: file }),
    ).toContain(
      "SCORING_EXCHANGE_RATES: USD also has rates per day in SCORING_EXCHANGE_RATES_FILE; give it one or the other",
    );
  });
});
