import { describe, expect, it } from "vitest";
import { type Command, commandTable, FatalError, runCli, UsageError } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

const echo: Command = {
  name: "echo",
  summary: "says what it is told",
  usage: "Usage: rapport echo <words>\n",
  async run(args, io) {
    if (args[0] === "usage") throw new UsageError("that is not how");
    if (args[0] === "fatal") throw new FatalError("cannot go on");
    io.stdout.write(`${args.join(" ")}\n`);
    return 0;
  },
};

describe("rapport <command>", () => {
  it("runs the named command with the rest of the arguments", async () => {
    const { io, out } = bufferedIo();
    expect(await runCli(["echo", "hello", "there"], io, [echo])).toBe(0);
    expect(out.stdout).toBe("hello there\n");
  });

  it("lists the commands on help, and shows a command's usage on help <command> or --help", async () => {
    const { io, out } = bufferedIo();
    expect(await runCli(["help"], io, [echo])).toBe(0);
    expect(out.stdout).toContain("  echo  says what it is told");
    expect(await runCli(["help", "echo"], io, [echo])).toBe(0);
    expect(await runCli(["echo", "--help"], io, [echo])).toBe(0);
    expect(out.stdout.match(/Usage: rapport echo/g)).toHaveLength(2);
  });

  it("exits 64 with the usage on stderr for an unknown command or a usage error, and 1 on a fatal error", async () => {
    const { io, out } = bufferedIo();
    expect(await runCli(["frobnicate"], io, [echo])).toBe(64);
    expect(out.stderr).toContain('rapport: unknown command "frobnicate"\n\nUsage: rapport <command>');
    expect(await runCli(["echo", "usage"], io, [echo])).toBe(64);
    expect(out.stderr).toContain('rapport echo: that is not how\nRun "rapport help echo" for usage.');
    expect(await runCli(["echo", "fatal"], io, [echo])).toBe(1);
    expect(out.stderr).toContain("rapport echo: cannot go on\n");
  });

  it("has import, which checks its command line before touching anything", async () => {
    const { io, out } = bufferedIo();
    expect(await runCli(["import", "orders", "orders.csv"], io, commandTable)).toBe(64);
    expect(out.stderr).toContain("no write key: pass --write-key <key> or set RAPPORT_WRITE_KEY");
    expect(await runCli(["import", "invoices", "x.csv", "--write-key", "k"], io, commandTable)).toBe(64);
    expect(out.stderr).toContain('cannot import "invoices"; choose one of orders, customers');
    expect(
      await runCli(
        ["import", "orders", "x.csv", "--write-key", "k", "--timezone", "Mars/Olympus"],
        io,
        commandTable,
      ),
    ).toBe(64);
    expect(await runCli(["import", "orders", "x.csv", "--bogus"], io, commandTable)).toBe(64);
    const missing = bufferedIo({ RAPPORT_WRITE_KEY: "k" });
    expect(await runCli(["import", "orders", "/nonexistent/orders.csv"], missing.io, commandTable)).toBe(1);
    expect(missing.out.stderr).toContain("/nonexistent/orders.csv: no such file, or it cannot be read");
  });
});
