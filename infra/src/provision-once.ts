import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export const PROVISIONED_MARKER = "provisioned.json";

export function isProvisioned(installDir: string): boolean {
  return existsSync(join(installDir, PROVISIONED_MARKER));
}

/**
 * Builds an install directory once. The build happens in a scratch directory that is renamed
 * into place only when complete (with its marker inside), so an interrupted or failed build never
 * leaves a half-provisioned cache, and two concurrent first runs cannot corrupt each other: the
 * loser of the rename simply discards its copy.
 */
export async function provisionOnce(
  installDir: string,
  build: (scratchDir: string) => Promise<Record<string, unknown>>,
): Promise<void> {
  if (isProvisioned(installDir)) return;
  await mkdir(dirname(installDir), { recursive: true });
  const scratchDir = await mkdtemp(`${installDir}.partial-`);
  try {
    const marker = await build(scratchDir);
    await writeFile(
      join(scratchDir, PROVISIONED_MARKER),
      `${JSON.stringify({ ...marker, provisionedAt: new Date().toISOString() }, null, 2)}\n`,
    );
    if (existsSync(installDir) && !isProvisioned(installDir)) {
      // Left behind by a tool from before the marker existed; nothing in it can be trusted.
      await rm(installDir, { recursive: true, force: true });
    }
    try {
      await rename(scratchDir, installDir);
    } catch (error) {
      if (!isProvisioned(installDir)) throw error;
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}
