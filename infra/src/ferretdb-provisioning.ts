import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, cp, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { provisioningLogDir } from "./cache-dir.js";
import { InfraError } from "./infra-error.js";
import type { Progress } from "./progress.js";
import { isProvisioned, provisionOnce } from "./provision-once.js";
import { runTool } from "./run-tool.js";
import { FERRETDB_MODULE, FERRETDB_VERSION } from "./versions.js";

export interface FerretdbInstall {
  binary: string;
}

/**
 * The project's patch to FerretDB's source (infra/ferretdb/README.md says what it fixes and why):
 * its SQLite backend then serves `_id` lookups, `_id` `$in` lists and updates from the `_id` index.
 */
export const ferretdbPatchPath = fileURLToPath(
  new URL(`../ferretdb/${FERRETDB_VERSION}-rapport.patch`, import.meta.url),
);

/** Keyed on the version and the patch's content: a changed patch builds afresh beside the old binary. */
export function ferretdbInstallDir(cacheDir: string): string {
  const patchHash = createHash("sha256").update(readFileSync(ferretdbPatchPath)).digest("hex").slice(0, 10);
  return join(cacheDir, `ferretdb-${FERRETDB_VERSION}-${patchHash}`);
}

export function isFerretdbProvisioned(cacheDir: string): boolean {
  return isProvisioned(ferretdbInstallDir(cacheDir));
}

/**
 * Builds FerretDB from its module source, with the project's patch applied, with the machine's Go
 * (once per version and patch).
 *
 * Not `go install …/cmd/ferretdb@version`: a binary built that way panics at start-up
 * ("Invalid build/version/version.txt"), because FerretDB embeds its version from a file that
 * its release tooling generates and the module zip leaves out. So the module is downloaded,
 * copied, given that file, and built in place with its own pinned go.sum.
 */
export async function provisionFerretdb(cacheDir: string, progress: Progress): Promise<FerretdbInstall> {
  const installDir = ferretdbInstallDir(cacheDir);
  if (!isProvisioned(installDir)) {
    progress.step(
      `FerretDB ${FERRETDB_VERSION}: building from source with Go (first run only, a few minutes)`,
    );
    const logFile = join(provisioningLogDir(cacheDir), `ferretdb-${FERRETDB_VERSION}.log`);
    await provisionOnce(installDir, async (scratchDir) => {
      const sourceDir = join(scratchDir, "src");
      const binary = join(scratchDir, "bin", "ferretdb");
      const go = (args: string[], label: string, cwd: string) =>
        runTool({
          command: "go",
          args,
          label,
          logFile,
          progress,
          cwd,
          env: goEnv(),
          isProgressLine: () => true,
        });

      const download = await go(
        ["mod", "download", "-json", `${FERRETDB_MODULE}@${FERRETDB_VERSION}`],
        "go mod download (FerretDB)",
        scratchDir,
      );
      await cp(moduleDirOf(download), sourceDir, { recursive: true });
      // The module cache is read-only; the copy must be writable to add a file and to be removed.
      await makeDirectoriesWritable(sourceDir);
      await writeFile(join(sourceDir, "build", "version", "version.txt"), `${FERRETDB_VERSION}\n`);
      progress.step(`FerretDB ${FERRETDB_VERSION}: applying ${ferretdbPatchPath}`);
      await runTool({
        command: "git",
        args: ["apply", "--verbose", ferretdbPatchPath],
        label: "git apply (FerretDB patch)",
        logFile,
        progress,
        cwd: sourceDir,
        // Never inside a repository (a cache dir within a checkout): git applies it as a plain patch tool.
        env: { ...process.env, GIT_CEILING_DIRECTORIES: scratchDir },
      });

      progress.step(`FerretDB ${FERRETDB_VERSION}: compiling (go build)`);
      await go(
        ["build", "-v", "-trimpath", "-buildvcs=false", "-o", binary, "./cmd/ferretdb"],
        "go build (FerretDB)",
        sourceDir,
      );
      // Run it once: a binary without its version file only fails when started.
      const reported = await runTool({
        command: binary,
        args: ["--version"],
        label: "ferretdb --version",
        logFile,
        progress,
      });
      if (!reported.includes(`version: ${FERRETDB_VERSION}`)) {
        throw new InfraError(`The FerretDB binary reports an unexpected version; see ${logFile}`);
      }
      await rm(sourceDir, { recursive: true, force: true });
      return { ferretdbVersion: FERRETDB_VERSION };
    });
    progress.step(`FerretDB ${FERRETDB_VERSION}: binary cached in ${installDir}`);
  }
  return { binary: join(installDir, "bin", "ferretdb") };
}

function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // A pure-Go binary (FerretDB's SQLite is modernc.org/sqlite): no C compiler needed.
    CGO_ENABLED: "0",
    // Neither a developer's GOFLAGS (-mod=vendor…) nor a go.work above the cache may change the build.
    GOFLAGS: "",
    GOWORK: "off",
  };
}

function moduleDirOf(downloadJson: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(downloadJson);
  } catch {
    throw new InfraError(`go mod download printed no JSON for ${FERRETDB_MODULE}@${FERRETDB_VERSION}`);
  }
  if (typeof parsed === "object" && parsed !== null) {
    if ("Error" in parsed && typeof parsed.Error === "string") {
      throw new InfraError(`go mod download ${FERRETDB_MODULE}@${FERRETDB_VERSION} failed: ${parsed.Error}`);
    }
    if ("Dir" in parsed && typeof parsed.Dir === "string") return parsed.Dir;
  }
  throw new InfraError(`go mod download did not report where ${FERRETDB_MODULE}@${FERRETDB_VERSION} is`);
}

async function makeDirectoriesWritable(root: string): Promise<void> {
  await chmod(root, 0o755);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => chmod(join(entry.parentPath, entry.name), 0o755)),
  );
}
