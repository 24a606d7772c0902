import { describe, expect, it } from "vitest";
import { runOnWorkerThread, siblingModule } from "../src/worker-thread.js";

const sumTask = siblingModule(import.meta.url, "fixtures/sum-task");

describe("runOnWorkerThread", () => {
  it("answers what the module computed from its input, from TypeScript sources", async () => {
    expect(sumTask.pathname.endsWith("/test/fixtures/sum-task.ts")).toBe(true);
    await expect(runOnWorkerThread(sumTask, { numbers: [1, 2, 3.5] })).resolves.toEqual({ sum: 6.5 });
  });

  it("fails with the module's error", async () => {
    await expect(runOnWorkerThread(sumTask, { numbers: [1, Number.NaN] })).rejects.toThrow(
      "only finite numbers add up",
    );
  });

  it("fails when the module ends without an answer", async () => {
    await expect(
      runOnWorkerThread(siblingModule(import.meta.url, "fixtures/silent-task"), {}),
    ).rejects.toThrow(/exited with code 0 without an answer/);
  });
});
