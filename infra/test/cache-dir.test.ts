import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveCacheDir, resolvePersistentDataDir } from "../src/cache-dir.js";

describe("cache and data directories", () => {
  it("default to ~/.cache/rapport and its data/", () => {
    expect(resolveCacheDir({})).toBe(join(homedir(), ".cache", "rapport"));
    expect(resolvePersistentDataDir("/cache", {})).toBe("/cache/data");
  });

  it("follow RAPPORT_CACHE_DIR and RAPPORT_DATA_DIR", () => {
    expect(resolveCacheDir({ RAPPORT_CACHE_DIR: "/tmp/rapport-cache" })).toBe("/tmp/rapport-cache");
    expect(resolvePersistentDataDir("/cache", { RAPPORT_DATA_DIR: "/srv/rapport" })).toBe("/srv/rapport");
  });
});
