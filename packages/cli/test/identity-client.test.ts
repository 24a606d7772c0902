import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type handleUnaryCall, Server, ServerCredentials, type ServerUnaryCall, status } from "@grpc/grpc-js";
import {
  IdentityServiceService,
  type ListSourceRecordsRequest,
  type ListSourceRecordsResponse,
} from "@rapport/proto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandTable, createIdentityClient, FatalError, runCli } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

type ListHandler = handleUnaryCall<ListSourceRecordsRequest, ListSourceRecordsResponse>;

let server: Server | undefined;
let directory = "";

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "rapport-cli-export-"));
});

afterEach(async () => {
  server?.forceShutdown();
  server = undefined;
  await rm(directory, { recursive: true, force: true });
});

/** A stand-in for identity's gRPC server that serves only ListSourceRecords, as `handler` says. */
async function identity(handler: ListHandler): Promise<string> {
  const listening = new Server();
  listening.addService(IdentityServiceService, { listSourceRecords: handler });
  server = listening;
  const port = await new Promise<number>((resolve, reject) =>
    listening.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return `127.0.0.1:${port}`;
}

/** Ten source records served in pages; the token is the index of the page's first record. */
const allRecords = Array.from({ length: 10 }, (_, n) => ({
  sourceRecordId: `web/cookie_id:ck-${n}${n === 3 ? ',"x"' : ""}`,
  source: "web",
  customerId: `cus_${n % 4}`,
}));
const pagedRecords: ListHandler = (call: ServerUnaryCall<ListSourceRecordsRequest, unknown>, callback) => {
  const start = call.request.pageToken === "" ? 0 : Number(call.request.pageToken);
  const end = start + call.request.pageSize;
  callback(null, {
    sourceRecords: allRecords.slice(start, end),
    nextPageToken: end < allRecords.length ? String(end) : "",
  });
};

const noWait = async () => {};

describe("the identity client", () => {
  it("reads a page of source records", async () => {
    const client = createIdentityClient({ address: await identity(pagedRecords), sleep: noWait });
    try {
      const page = await client.listSourceRecords(4, "4");
      expect(page).toEqual({ records: allRecords.slice(4, 8), nextPageToken: "8" });
    } finally {
      client.close();
    }
  });

  it("tries again while identity is unavailable", async () => {
    let calls = 0;
    const address = await identity((call, callback) => {
      calls += 1;
      if (calls < 3) return callback({ code: status.UNAVAILABLE, details: "restarting" });
      pagedRecords(call, callback);
    });
    const client = createIdentityClient({ address, sleep: noWait });
    try {
      expect((await client.listSourceRecords(2, "")).records).toHaveLength(2);
      expect(calls).toBe(3);
    } finally {
      client.close();
    }
  });

  it("says identity cannot be reached, and how to start it, when nothing listens", async () => {
    const address = await identity(pagedRecords);
    server?.forceShutdown();
    const client = createIdentityClient({ address, sleep: noWait });
    try {
      const failure = client.listSourceRecords(10, "");
      await expect(failure).rejects.toThrow(FatalError);
      await expect(failure).rejects.toThrow(
        `cannot reach identity at ${address}: is it running? (npm start)`,
      );
    } finally {
      client.close();
    }
  });

  it("names the status identity answered with", async () => {
    const address = await identity((_call, callback) =>
      callback({ code: status.INVALID_ARGUMENT, details: "page_token is not one this service gave" }),
    );
    const client = createIdentityClient({ address, sleep: noWait });
    try {
      await expect(client.listSourceRecords(10, "junk")).rejects.toThrow(
        `identity at ${address} answered INVALID_ARGUMENT: page_token is not one this service gave`,
      );
    } finally {
      client.close();
    }
  });
});

describe("rapport export identities", () => {
  it("writes every source record as CSV to stdout, with the count on stderr", async () => {
    const address = await identity(pagedRecords);
    const { io, out } = bufferedIoIn({ IDENTITY_GRPC_ADDRESS: address });
    expect(await runCli(["export", "identities", "--page-size", "3"], io, commandTable)).toBe(0);
    const lines = out.stdout.split("\n");
    expect(lines[0]).toBe("source_record_id,customer_id,source");
    expect(lines).toHaveLength(1 + allRecords.length + 1);
    expect(lines).toContain('"web/cookie_id:ck-3,""x""",cus_3,web');
    expect(out.stderr).toMatch(/^exported 10 source records to stdout in \d+\.\d s\n$/);
  });

  it("writes NDJSON to the --output file, and leaves no file when the export fails", async () => {
    const address = await identity(pagedRecords);
    const { io, out } = bufferedIoIn();
    const args = ["export", "identities", "--identity", address, "--output", "ids.ndjson"];
    expect(await runCli(args, io, commandTable)).toBe(0);
    const lines = (await readFile(join(directory, "ids.ndjson"), "utf8")).trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      allRecords.map((r) => ({
        source_record_id: r.sourceRecordId,
        customer_id: r.customerId,
        source: r.source,
      })),
    );
    expect(out.stderr).toContain(`to ${join(directory, "ids.ndjson")}`);

    server?.forceShutdown();
    const failing = bufferedIoIn();
    const again = ["export", "identities", "--identity", address, "--output", "again.csv"];
    expect(await runCli(again, failing.io, commandTable)).toBe(1);
    expect(failing.out.stderr).toContain(`rapport export: cannot reach identity at ${address}`);
    expect(await readdir(directory)).toEqual(["ids.ndjson"]);
  });
});

function bufferedIoIn(env: Record<string, string> = {}) {
  return bufferedIo(env, directory);
}
