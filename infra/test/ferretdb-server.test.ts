import { describe, expect, it } from "vitest";
import { ferretdbArgs, ferretdbPaths } from "../src/ferretdb-server.js";

describe("ferretdbArgs", () => {
  it("serves the SQLite backend on loopback, syncing at checkpoints, without telemetry or the fixed debug port", () => {
    const args = ferretdbArgs(ferretdbPaths("/data dir"), 27018);

    expect(args).toContain("--handler=sqlite");
    expect(args).toContain("--sqlite-url=file:///data%20dir/ferretdb/sqlite/?_pragma=synchronous(normal)");
    expect(args).toContain("--state-dir=/data dir/ferretdb/state");
    expect(args).toContain("--listen-addr=127.0.0.1:27018");
    expect(args).toContain("--debug-addr=-");
    expect(args).toContain("--telemetry=disable");
  });
});
