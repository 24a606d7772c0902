import { parsePort } from "@rapport/infra";
import { expect, it } from "vitest";

it("resolves a workspace dependency to its TypeScript sources (the `source` export condition)", () => {
  let stack = "";
  try {
    parsePort("not-a-port", "KAFKA_PORT", 9092);
  } catch (error) {
    stack = error instanceof Error ? (error.stack ?? "") : "";
  }

  expect(stack).toMatch(/infra\/src\/ports\.ts/);
});
