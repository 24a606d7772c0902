import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { commandTable, runCli } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

/** A loopback address nothing listens on: a port that was free a moment ago. */
async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

describe("the read and campaign commands", () => {
  it("are listed by rapport help", async () => {
    const { io, out } = bufferedIo();
    expect(await runCli(["help"], io, commandTable)).toBe(0);
    for (const name of ["customer", "timeline", "segments", "offers", "campaign"])
      expect(out.stdout).toMatch(new RegExp(`\\n {2}${name} +\\S`));
  });

  it("exit 64 on a wrong command line before calling any service", async () => {
    const { io, out } = bufferedIo({ OFFER_GRPC_ADDRESS: "nowhere" });
    expect(await runCli(["campaign", "create", "--name", "x"], io, commandTable)).toBe(64);
    expect(out.stderr).toBe(
      'rapport campaign: --offer is required: the id of the catalog offer it makes\nRun "rapport help campaign" for usage.\n',
    );
  });

  it("exit 1 with one line naming the service that is down, its address and how to start it", async () => {
    const address = await deadAddress();
    const { io, out } = bufferedIo({ SCORING_GRPC_ADDRESS: address });
    expect(await runCli(["segments"], io, commandTable)).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatch(
      new RegExp(
        `^rapport segments: cannot reach scoring at ${address}: is it running\\? \\(npm start\\) \\[.*\\]\\n$`,
      ),
    );
  }, 30_000);
});
