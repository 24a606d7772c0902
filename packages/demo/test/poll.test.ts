import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { pollUntil } from "../src/poll.js";

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

describe("polling the platform", () => {
  it("waits after a slow look nine times as long as the look took", async () => {
    const lookedAt: number[] = [];
    await pollUntil({
      what: "a slow answer",
      timeoutMs: 10_000,
      intervalMs: 1,
      output: silent,
      look: async () => {
        lookedAt.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { done: lookedAt.length === 2, state: undefined, progress: "" };
      },
    });

    expect(lookedAt).toHaveLength(2);
    // The look took 50 ms and the wait after it at least 450 ms.
    expect((lookedAt[1] as number) - (lookedAt[0] as number)).toBeGreaterThanOrEqual(490);
  });
});
