import { describe, expect, it } from "vitest";
import { composeChecks, composeProblem } from "../src/compose-check.js";
import { composePackagesOf, composePythonPath } from "../src/compose-provisioning.js";

// The shape of `apt-cache depends --recurse … docker-compose=1.29.2-3` on Debian bookworm, shortened.
const aptCacheDepends = `docker-compose
 |Depends: python3-cached-property
  Depends: python3
  Depends: python3-yaml
  Depends: <python3:any>
    python3
  Depends: python3-distutils
  Recommends: docker.io
python3-yaml
  Depends: libyaml-0-2
  Depends: python3
python3-cached-property
  Depends: python3
python3-distutils
  Depends: python3-lib2to3
python3-lib2to3
python3
  Depends: python3.11
python3.11
libyaml-0-2
  Depends: libc6
libc6
<python3:any>
`;

describe("composePackagesOf", () => {
  it("downloads the pinned docker-compose and every Python library it needs, not the interpreter or C libraries", () => {
    expect(composePackagesOf(aptCacheDepends)).toEqual([
      "docker-compose=1.29.2-3",
      "python3-cached-property",
      "python3-distutils",
      "python3-lib2to3",
      "python3-yaml",
    ]);
  });

  it("says to update the package lists when apt-cache does not know the pinned version", () => {
    expect(() => composePackagesOf("<docker-compose>\n")).toThrow(
      "apt-cache knows no docker-compose 1.29.2-3: the compose check needs Debian bookworm's package lists (sudo apt-get update)",
    );
  });
});

describe("composePythonPath", () => {
  it("puts the unpacked dist-packages first, then the interpreter-specific library dirs (distutils)", () => {
    expect(composePythonPath("/cache/root", ["python3", "python3.11", "x86_64-linux-gnu"])).toBe(
      "/cache/root/usr/lib/python3/dist-packages:/cache/root/usr/lib/python3.11",
    );
  });
});

describe("composeChecks", () => {
  it("checks the file alone and with every profile, reading no .env file", () => {
    expect(composeChecks("docker-compose.yml", "/cache/empty.env")).toEqual([
      {
        label: "docker-compose.yml",
        args: ["--env-file", "/cache/empty.env", "-f", "docker-compose.yml", "config", "-q"],
      },
      {
        label: "docker-compose.yml --profile observability",
        args: [
          ...["--env-file", "/cache/empty.env", "-f", "docker-compose.yml"],
          ...["--profile", "observability", "config", "-q"],
        ],
      },
    ]);
  });
});

describe("composeProblem", () => {
  const [check] = composeChecks("docker-compose.yml", "/cache/empty.env");
  if (check === undefined) throw new Error("no check");

  it("passes a file docker-compose reads without a word", () => {
    expect(composeProblem(check, { exitCode: 0, stderr: "" })).toBeUndefined();
  });

  it("fails a file docker-compose rejects, with its reason", () => {
    const stderr = "Service 'otel-collector' depends on service 'jaegerx' which is undefined.\n";
    expect(composeProblem(check, { exitCode: 1, stderr })).toBe(
      "docker-compose rejects docker-compose.yml (exit 1):\nService 'otel-collector' depends on service 'jaegerx' which is undefined.",
    );
  });

  it("fails a file docker-compose only warns about, such as a variable without a default", () => {
    const stderr = "The FOO variable is not set. Defaulting to a blank string.\n";
    expect(composeProblem(check, { exitCode: 0, stderr })).toBe(
      "docker-compose warns about docker-compose.yml:\nThe FOO variable is not set. Defaulting to a blank string.",
    );
  });
});
