import { describe, expect, it } from "vitest";
import { commandTable, runCli } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

describe("rapport replay", () => {
  it("replays scoring only, and says so when asked for anything else", async () => {
    for (const args of [["replay"], ["replay", "identity"], ["replay", "scoring", "now"]]) {
      const { io, out } = bufferedIo();
      expect(await runCli(args, io, commandTable)).toBe(64);
      expect(out.stderr).toContain("name the service to replay: rapport replay scoring");
    }
  });

  it("refuses a configuration scoring would refuse, before touching anything", async () => {
    const { io, out } = bufferedIo({ SCORING_AT_RISK_AFTER_DAYS: "200", SCORING_LAPSED_AFTER_DAYS: "100" });
    expect(await runCli(["replay", "scoring"], io, commandTable)).toBe(1);
    expect(out.stderr).toContain("SCORING_LAPSED_AFTER_DAYS must be above SCORING_AT_RISK_AFTER_DAYS");
  });
});
