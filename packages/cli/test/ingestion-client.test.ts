import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createIngestionClient } from "../src/index.js";

type Handler = (body: unknown[], request: IncomingMessage, response: ServerResponse) => void;

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A stand-in for ingestion's front door that answers as the handler says. */
async function frontDoor(handler: Handler): Promise<string> {
  const listening = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on("end", () => handler(JSON.parse(text) as unknown[], request, response));
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

function answer(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const noWait = async () => {};
const events = [{ id: "a" }, { id: "b" }, { id: "c" }];

describe("the ingestion client", () => {
  it("sends the write key and returns one answer per event, in order", async () => {
    const url = await frontDoor((body, request, response) => {
      expect(request.headers.authorization).toBe("Bearer secret");
      answer(response, 207, {
        results: [
          { index: 1, status: "rejected", reason: "invalid_identifier", detail: "bad phone" },
          ...body
            .slice(0)
            .flatMap((_, index) =>
              index === 1 ? [] : [{ index, status: "accepted", eventId: `s:${index}` }],
            ),
        ],
      });
    });
    const client = createIngestionClient({ url, writeKey: "secret", sleep: noWait });
    expect(await client.publish(events)).toEqual([
      { status: "accepted", eventId: "s:0" },
      { status: "rejected", reason: "invalid_identifier", detail: "bad phone" },
      { status: "accepted", eventId: "s:2" },
    ]);
  });

  it("tries again when ingestion is unavailable, and halves a batch that is too large", async () => {
    let requests = 0;
    const url = await frontDoor((body, _request, response) => {
      requests += 1;
      if (requests === 1) return answer(response, 503, { detail: "the event log could not be written" });
      if (body.length > 1) return answer(response, 413, { detail: "too many" });
      answer(response, 202, { results: [{ index: 0, status: "accepted", eventId: "s:x" }] });
    });
    const client = createIngestionClient({ url, writeKey: "secret", sleep: noWait });
    expect(await client.publish(events)).toHaveLength(3);
    // 503, then 413 for three, 413 for two, and five single events.
    expect(requests).toBe(1 + 1 + 1 + 3);
  });

  it("says so when the write key is refused or ingestion cannot be reached", async () => {
    const url = await frontDoor((_body, _request, response) =>
      answer(response, 401, { detail: "send your key" }),
    );
    await expect(
      createIngestionClient({ url, writeKey: "wrong", sleep: noWait }).publish(events),
    ).rejects.toThrow(`the write key was refused by ingestion at ${url} (HTTP 401)`);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    await expect(
      createIngestionClient({ url, writeKey: "k", sleep: noWait }).publish(events),
    ).rejects.toThrow(
      new RegExp(`^cannot reach ingestion at ${url}: ECONNREFUSED.* is it running\\? \\(npm start\\)$`),
    );
  });
});
