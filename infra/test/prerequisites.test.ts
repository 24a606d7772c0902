import { describe, expect, it } from "vitest";
import { assertToolsInstalled, findExecutable } from "../src/prerequisites.js";

describe("prerequisites", () => {
  it("finds executables on PATH only", () => {
    expect(findExecutable("bash", { PATH: "/usr/bin:/bin" })).toMatch(/\/bash$/);
    expect(findExecutable("bash", { PATH: "" })).toBeUndefined();
  });

  it("names every missing tool with the Debian package that provides it", () => {
    expect(() => assertToolsInstalled(["java", "mvn", "go"], { PATH: "" })).toThrow(
      /Missing `java`.*openjdk-17-jre-headless.*`mvn`.*apt-get install maven.*`go`.*golang-go/,
    );
  });
});
