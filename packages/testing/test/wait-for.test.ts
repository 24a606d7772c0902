import { waitFor } from "@rapport/testing";
import { expect, it } from "vitest";

it("returns the first truthy result of the condition", async () => {
  let calls = 0;
  const result = await waitFor(() => (++calls >= 3 ? `ready after ${calls}` : undefined), {
    description: "the third call",
    intervalMs: 1,
  });

  expect(result).toBe("ready after 3");
});

it("treats a throwing condition as not yet, and names it and the last error on timeout", async () => {
  const failing = waitFor(
    () => {
      throw new Error("projection not built");
    },
    { description: "the customer projection", timeoutMs: 50, intervalMs: 5 },
  );

  await expect(failing).rejects.toThrow(
    "Timed out after 50 ms waiting for the customer projection (last error: projection not built)",
  );
});
