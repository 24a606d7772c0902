import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { provisioningLogDir } from "./cache-dir.js";
import { describeError, InfraError } from "./infra-error.js";
import { assertToolsInstalled } from "./prerequisites.js";
import type { Progress } from "./progress.js";
import { isProvisioned, provisionOnce } from "./provision-once.js";
import { runTool } from "./run-tool.js";
import { DOCKER_COMPOSE_DEBIAN_VERSION } from "./versions.js";

export interface ComposeInstall {
  /** `python3 <script>` runs docker-compose, with `env` added to the environment. */
  script: string;
  env: { PYTHONPATH: string };
  /** An empty env file, so that no .env of the working copy changes what is checked. */
  emptyEnvFile: string;
}

export function composeInstallDir(cacheDir: string): string {
  return join(cacheDir, `docker-compose-${DOCKER_COMPOSE_DEBIAN_VERSION}`);
}

export function isComposeProvisioned(cacheDir: string): boolean {
  return isProvisioned(composeInstallDir(cacheDir));
}

/**
 * The Debian packages docker-compose runs from, out of `apt-cache depends --recurse` of it: itself and
 * every python3-* library it needs. The interpreter (python3, python3.11…) and the C libraries are the
 * machine's; python3-distutils stays in, because Debian's own python3 comes without distutils.
 */
export function composePackagesOf(aptCacheDepends: string): string[] {
  const packages = new Set(
    aptCacheDepends
      .split("\n")
      .filter((line) => /^[a-z0-9][a-z0-9+.-]*$/.test(line.trim()) && !line.startsWith(" "))
      .map((line) => line.trim()),
  );
  if (!packages.has("docker-compose")) {
    throw new InfraError(
      `apt-cache knows no docker-compose ${DOCKER_COMPOSE_DEBIAN_VERSION}: the compose check needs Debian bookworm's package lists (sudo apt-get update)`,
    );
  }
  const libraries = [...packages].filter((name) => name.startsWith("python3-")).sort();
  return [`docker-compose=${DOCKER_COMPOSE_DEBIAN_VERSION}`, ...libraries];
}

/** Where the unpacked packages put their Python modules, for PYTHONPATH. */
export function composePythonPath(rootDir: string, libDirs: readonly string[]): string {
  // dist-packages holds compose and its libraries; /usr/lib/python3.X holds distutils.
  return [
    join(rootDir, "usr", "lib", "python3", "dist-packages"),
    ...libDirs.filter((name) => /^python3\.\d+$/.test(name)).map((name) => join(rootDir, "usr", "lib", name)),
  ].join(":");
}

/**
 * Fetches Debian's docker-compose and its Python libraries with `apt-get download` (no root needed) and
 * unpacks them with `dpkg-deb -x` into the cache (once per version); it runs on the machine's python3.
 */
export async function provisionCompose(
  cacheDir: string,
  progress: Progress,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ComposeInstall> {
  const installDir = composeInstallDir(cacheDir);
  if (!isProvisioned(installDir)) {
    assertToolsInstalled(["apt-get", "dpkg-deb", "python3"], env);
    progress.step(
      `docker-compose ${DOCKER_COMPOSE_DEBIAN_VERSION}: downloading Debian's package (first run only)`,
    );
    const logFile = join(provisioningLogDir(cacheDir), `docker-compose-${DOCKER_COMPOSE_DEBIAN_VERSION}.log`);
    await provisionOnce(installDir, async (scratchDir) => {
      const tool = (command: string, args: string[], label: string, cwd = scratchDir) =>
        runTool({ command, args, label, logFile, progress, cwd });
      let depends: string;
      try {
        depends = await tool(
          "apt-cache",
          [
            "depends",
            "--recurse",
            ...["--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks"],
            ...["--no-replaces", "--no-enhances", "--no-pre-depends"],
            `docker-compose=${DOCKER_COMPOSE_DEBIAN_VERSION}`,
          ],
          "apt-cache depends (docker-compose)",
        );
      } catch (error) {
        throw new InfraError(
          `${describeError(error)}; the compose check needs Debian bookworm's package lists (sudo apt-get update)`,
        );
      }
      const packages = composePackagesOf(depends);
      const debsDir = join(scratchDir, "debs");
      await mkdir(debsDir);
      progress.step(`docker-compose: downloading ${packages.length} Debian packages`);
      await tool("apt-get", ["download", ...packages], "apt-get download (docker-compose)", debsDir);
      const debs = (await readdir(debsDir)).filter((name) => name.endsWith(".deb")).sort();
      progress.step(`docker-compose: unpacking ${debs.length} packages`);
      const rootDir = join(scratchDir, "root");
      for (const deb of debs) {
        await tool("dpkg-deb", ["-x", join(debsDir, deb), rootDir], `dpkg-deb -x ${deb}`);
      }
      await rm(debsDir, { recursive: true });
      await writeFile(join(scratchDir, "empty.env"), "");
      const install = composeInstallIn(scratchDir, await readdir(join(rootDir, "usr", "lib")));
      // The paths baked into PYTHONPATH are the scratch dir's here: check it runs before renaming.
      const version = await runTool({
        command: "python3",
        args: ["-s", install.script, "version", "--short"],
        label: "docker-compose version",
        logFile,
        progress,
        env: { ...env, ...install.env },
      });
      if (!DOCKER_COMPOSE_DEBIAN_VERSION.startsWith(`${version.trim()}-`)) {
        throw new InfraError(`The unpacked docker-compose reports version ${version.trim()}; see ${logFile}`);
      }
      return { dockerCompose: DOCKER_COMPOSE_DEBIAN_VERSION, debs };
    });
    progress.step(`docker-compose ${DOCKER_COMPOSE_DEBIAN_VERSION}: cached in ${installDir}`);
  }
  return composeInstallIn(installDir, await readdir(join(installDir, "root", "usr", "lib")));
}

function composeInstallIn(installDir: string, libDirs: readonly string[]): ComposeInstall {
  const rootDir = join(installDir, "root");
  return {
    script: join(rootDir, "usr", "bin", "docker-compose"),
    env: { PYTHONPATH: composePythonPath(rootDir, libDirs) },
    emptyEnvFile: join(installDir, "empty.env"),
  };
}
