import { describe, expect, it } from "vitest";
import { generateClusterId, renderLog4jProperties, renderServerProperties } from "../src/kafka-config.js";

function parseProperties(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split("\n")
      .map((line) => {
        const separator = line.indexOf("=");
        return [line.slice(0, separator), line.slice(separator + 1)] as const;
      }),
  );
}

describe("renderServerProperties", () => {
  const properties = parseProperties(
    renderServerProperties({ logDir: "/data/kafka", kafkaPort: 19092, controllerPort: 19093 }),
  );

  it("runs broker and controller in one process on loopback ports", () => {
    expect(properties.get("process.roles")).toBe("broker,controller");
    expect(properties.get("node.id")).toBe("1");
    expect(properties.get("controller.quorum.voters")).toBe("1@127.0.0.1:19093");
    expect(properties.get("listeners")).toBe("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
    expect(properties.get("advertised.listeners")).toBe("PLAINTEXT://127.0.0.1:19092");
    expect(properties.get("log.dirs")).toBe("/data/kafka");
  });

  it("lets transactions and consumer groups work on a single broker", () => {
    expect(properties.get("offsets.topic.replication.factor")).toBe("1");
    expect(properties.get("transaction.state.log.replication.factor")).toBe("1");
    expect(properties.get("transaction.state.log.min.isr")).toBe("1");
    expect(properties.get("group.initial.rebalance.delay.ms")).toBe("0");
  });

  it("keeps the log forever and creates no topic by accident", () => {
    expect(properties.get("log.retention.ms")).toBe("-1");
    expect(properties.get("auto.create.topics.enable")).toBe("false");
    expect(properties.get("num.partitions")).toBe("3");
  });

  it("escapes backslashes, which java.util.Properties would otherwise swallow", () => {
    const rendered = renderServerProperties({ logDir: "C:\\kafka\\data", kafkaPort: 1, controllerPort: 2 });
    expect(rendered).toContain("log.dirs=C:\\\\kafka\\\\data\n");
  });
});

describe("renderLog4jProperties", () => {
  it("sends the broker log to the given file only", () => {
    const properties = parseProperties(renderLog4jProperties("/data/kafka/kafka.log"));
    expect(properties.get("log4j.rootLogger")).toBe("INFO, file");
    expect(properties.get("log4j.appender.file.File")).toBe("/data/kafka/kafka.log");
  });
});

describe("generateClusterId", () => {
  it("is 16 bytes in unpadded base64url, like kafka-storage random-uuid", () => {
    expect(generateClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("draws again when the id would start with '-'", () => {
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0x01)];
    const id = generateClusterId(() => draws.shift() ?? Buffer.alloc(16, 0x02));
    expect(id.startsWith("-")).toBe(false);
    expect(draws).toHaveLength(0);
  });
});
