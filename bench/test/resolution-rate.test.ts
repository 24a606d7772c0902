import { describe, expect, it } from "vitest";
import {
  committedCount,
  type ResolutionPoll,
  resolutionRate,
  resolvedCount,
} from "../identity-throughput/resolution-watch.js";

const poll = (atMs: number, resolved: number, committed: number, identityCpu: number): ResolutionPoll => ({
  atMs,
  counters: { resolved, merged: 0, identityEvents: {} },
  committed,
  cpu: { atMs, seconds: { identity: identityCpu } },
});

describe("the resolution rate of a run", () => {
  const polls = [
    poll(0, 0, 0, 1),
    poll(1_000, 100, 0, 1.5),
    poll(2_000, 300, 250, 2.2),
    poll(3_000, 400, 400, 3.1),
    poll(4_000, 450, 400, 3.5),
  ];

  it("runs from the first poll that saw a resolution to the first that saw them all", () => {
    const rate = resolutionRate(polls, 0, 400, resolvedCount);
    expect(rate.eventsPerSecond).toBe(150);
    expect(rate.windowSeconds).toBe(2);
    expect(rate.firstAtMs).toBe(1_000);
    expect(rate.cores.identity).toBeCloseTo(0.8);
  });

  it("can be measured on the committed offsets instead of the counter", () => {
    expect(resolutionRate(polls, 0, 400, committedCount).eventsPerSecond).toBe(150);
  });

  it("is measured from `from` on, for a batch after the first", () => {
    expect(resolutionRate(polls, 300, 450, resolvedCount).eventsPerSecond).toBe(50);
  });
});
