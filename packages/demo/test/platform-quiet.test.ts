import { describe, expect, it } from "vitest";
import { type ConsumerReading, isQuiet } from "../src/platform-quiet.js";

const reading = (consumed: Record<string, number>, behind = 0): ConsumerReading => ({ consumed, behind });
const before = reading({ ingestion: 100, identity: 100, scoring: 300, offer: 300 });

describe("the platform is quiet", () => {
  it("once the work reached the service it was sent to and nothing moved between two looks", () => {
    const now = reading({ ingestion: 150, identity: 150, scoring: 450, offer: 450 });
    expect(isQuiet({ before, previous: now, now, pickedUpBy: "ingestion" })).toBe(true);
  });

  it("not before the work reached that service: its consumers may not have fetched yet", () => {
    expect(isQuiet({ before, previous: before, now: before, pickedUpBy: "ingestion" })).toBe(false);
  });

  it("not while a consumer is behind, or something was consumed since the look before", () => {
    const now = reading({ ingestion: 150, identity: 150, scoring: 450, offer: 450 });
    const behind = reading({ ingestion: 150, identity: 150, scoring: 450, offer: 450 }, 3);
    const moving = reading({ ingestion: 150, identity: 150, scoring: 420, offer: 450 });
    expect(isQuiet({ before, previous: behind, now: behind, pickedUpBy: "ingestion" })).toBe(false);
    expect(isQuiet({ before, previous: moving, now, pickedUpBy: "ingestion" })).toBe(false);
    expect(isQuiet({ before, previous: undefined, now, pickedUpBy: "ingestion" })).toBe(false);
  });
});
