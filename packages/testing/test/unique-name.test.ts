import { uniqueName } from "@rapport/testing";
import { expect, it } from "vitest";

it("keeps the prefix and adds a random suffix", () => {
  const first = uniqueName("crm.events");
  const second = uniqueName("crm.events");

  expect(first).toMatch(/^crm-events-[0-9a-f]{10}$/);
  expect(second).not.toBe(first);
});

it("stays a valid MongoDB database name however long the prefix is", () => {
  expect(uniqueName("x".repeat(200)).length).toBeLessThanOrEqual(63);
});
