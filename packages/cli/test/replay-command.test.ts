import { describe, expect, it } from "vitest";
import { commandTable, runCli } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

describe("rapport replay", () => {
  it("replays identity, scoring and offer, and says so when asked for anything else", async () => {
    for (const args of [["replay"], ["replay", "billing"], ["replay", "scoring", "now"]]) {
      const { io, out } = bufferedIo();
      expect(await runCli(args, io, commandTable)).toBe(64);
      expect(out.stderr).toContain("name the service to replay: rapport replay <identity|scoring|offer>");
    }
  });

  it("explains why ingestion is not replayed", async () => {
    const ingestion = bufferedIo();
    expect(await runCli(["replay", "ingestion"], ingestion.io, commandTable)).toBe(64);
    expect(ingestion.out.stderr).toContain("ingestion has no projection to rebuild");
    expect(ingestion.out.stderr).toContain("rapport dlq redrive");
  });

  it("refuses a configuration the service would refuse, before touching anything", async () => {
    const scoring = bufferedIo({ SCORING_AT_RISK_AFTER_DAYS: "200", SCORING_LAPSED_AFTER_DAYS: "100" });
    expect(await runCli(["replay", "scoring"], scoring.io, commandTable)).toBe(1);
    expect(scoring.out.stderr).toContain(
      "SCORING_LAPSED_AFTER_DAYS must be above SCORING_AT_RISK_AFTER_DAYS",
    );
    const identity = bufferedIo({ IDENTITY_MATCH_AUTO_MERGE: "0.5", IDENTITY_MATCH_REVIEW: "0.9" });
    expect(await runCli(["replay", "identity"], identity.io, commandTable)).toBe(1);
    expect(identity.out.stderr).toContain(
      "IDENTITY_MATCH_REVIEW must not be above IDENTITY_MATCH_AUTO_MERGE",
    );
    const offer = bufferedIo({ OFFER_UNSUBSCRIBE_SECRET: "short" });
    expect(await runCli(["replay", "offer"], offer.io, commandTable)).toBe(1);
    expect(offer.out.stderr).toContain("OFFER_UNSUBSCRIBE_SECRET: must be at least 16 characters");
  });
});
