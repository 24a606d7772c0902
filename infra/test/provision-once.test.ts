import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isProvisioned, provisionOnce } from "../src/provision-once.js";

describe("provisionOnce", () => {
  let cache = "";
  beforeEach(async () => {
    cache = await mkdtemp(join(tmpdir(), "rapport-provision-test-"));
  });
  afterEach(async () => {
    await rm(cache, { recursive: true, force: true });
  });

  it("builds once and then reuses the result", async () => {
    const installDir = join(cache, "tool-1.0");
    let builds = 0;
    const build = async (scratch: string) => {
      builds += 1;
      await writeFile(join(scratch, "binary"), "v1");
      return { version: "1.0" };
    };

    await provisionOnce(installDir, build);
    await provisionOnce(installDir, build);

    expect(builds).toBe(1);
    expect(await readFile(join(installDir, "binary"), "utf8")).toBe("v1");
    expect(isProvisioned(installDir)).toBe(true);
  });

  it("leaves nothing behind when the build fails", async () => {
    const installDir = join(cache, "tool-1.0");

    await expect(
      provisionOnce(installDir, async (scratch) => {
        await writeFile(join(scratch, "half-written"), "");
        throw new Error("download failed");
      }),
    ).rejects.toThrow("download failed");

    expect(existsSync(installDir)).toBe(false);
    expect(await readdir(cache)).toEqual([]);
  });

  it("survives two first runs racing each other", async () => {
    const installDir = join(cache, "tool-1.0");
    const build = async (scratch: string) => {
      await writeFile(join(scratch, "binary"), "v1");
      return {};
    };

    await Promise.all([provisionOnce(installDir, build), provisionOnce(installDir, build)]);

    expect(isProvisioned(installDir)).toBe(true);
    expect(await readdir(cache)).toEqual(["tool-1.0"]);
  });
});
