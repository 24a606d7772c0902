import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { awaitQuiet, type ConsumerReading, isQuiet } from "../src/platform-quiet.js";

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

describe("waiting until the platform is quiet", () => {
  it("looks again when a service drops a connection instead of answering", async () => {
    let requests = 0;
    const server = createServer((request, response) => {
      requests += 1;
      if (requests === 1) {
        request.socket.destroy();
        return;
      }
      response.end("rapport_kafka_records_consumed_total 150\nrapport_kafka_consumer_lag 0\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const output = new PassThrough();
    const lines: string[] = [];
    output.on("data", (chunk) => lines.push(String(chunk)));
    try {
      await awaitQuiet({
        metrics: { ingestion: url, identity: url, scoring: url, offer: url },
        before,
        pickedUpBy: "ingestion",
        what: "waiting",
        timeoutMs: 30_000,
        output,
      });
    } finally {
      server.close();
    }
    expect(lines.join("")).toContain("waiting: 0 records to go");
    expect(requests).toBeGreaterThan(4);
  });
});
