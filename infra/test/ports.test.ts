import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { assertPortsFree, findFreePorts, isPortFree, parsePort } from "../src/ports.js";

describe("parsePort", () => {
  it("falls back to the default when the variable is unset or blank", () => {
    expect(parsePort(undefined, "KAFKA_PORT", 9092)).toBe(9092);
    expect(parsePort("  ", "KAFKA_PORT", 9092)).toBe(9092);
  });

  it("reads a port number", () => {
    expect(parsePort("19092", "KAFKA_PORT", 9092)).toBe(19092);
  });

  it.each(["abc", "0", "65536", "90.5", "-1"])("rejects %j, naming the variable", (raw) => {
    expect(() => parsePort(raw, "MONGODB_PORT", 27017)).toThrow(/^MONGODB_PORT must be a port number/);
  });
});

describe("port checks", () => {
  let occupier: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (occupier ? occupier.close(resolve) : resolve(undefined)));
    occupier = undefined;
  });

  async function occupyPort(): Promise<number> {
    const [port] = await findFreePorts(1);
    if (port === undefined) throw new Error("no free port");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    occupier = server;
    return port;
  }

  it("finds distinct free ports", async () => {
    const ports = await findFreePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
  });

  it("names a taken port, its owner and the variable that moves it", async () => {
    const port = await occupyPort();
    await expect(assertPortsFree([{ port, owner: "Kafka", envName: "KAFKA_PORT" }])).rejects.toThrow(
      `Port ${port} (Kafka) on 127.0.0.1 is already in use; set KAFKA_PORT to use another port`,
    );
  });

  it("rejects one port configured for two servers", async () => {
    const [port = 0] = await findFreePorts(1);
    await expect(
      assertPortsFree([
        { port, owner: "Kafka", envName: "KAFKA_PORT" },
        { port, owner: "Kafka controller", envName: "KAFKA_CONTROLLER_PORT" },
      ]),
    ).rejects.toThrow(`Kafka controller and Kafka are both configured for port ${port}`);
  });
});
