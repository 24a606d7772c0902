import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigurationError, kafkaConfig, loadConfig, port } from "../src/index.js";

const schema = z.object({ ...kafkaConfig, HTTP_PORT: port(8080) });

describe("loadConfig", () => {
  it("applies defaults when the environment says nothing", () => {
    const config = loadConfig(schema, {});
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toEqual(["127.0.0.1:9092"]);
    expect(config.KAFKA_CREATE_TOPICS).toBe(true);
  });

  it("parses lists and numbers from strings", () => {
    const config = loadConfig(schema, {
      KAFKA_BROKERS: "a:1, b:2",
      HTTP_PORT: "9000",
      KAFKA_CREATE_TOPICS: "false",
    });
    expect(config.KAFKA_BROKERS).toEqual(["a:1", "b:2"]);
    expect(config.HTTP_PORT).toBe(9000);
    expect(config.KAFKA_CREATE_TOPICS).toBe(false);
  });

  it("names every offending variable and what it was given", () => {
    const load = () => loadConfig(schema, { KAFKA_BROKERS: "localhost", HTTP_PORT: "http" });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/KAFKA_BROKERS: must be a comma-separated list of host:port \(got "localhost"\)/);
    expect(load).toThrow(/HTTP_PORT: must be a port number \(got "http"\)/);
  });
});
