import { execFile } from "node:child_process";
import type { ComposeInstall } from "./compose-provisioning.js";

/** The profiles docker-compose.yml defines; each is checked with the services it adds. */
export const COMPOSE_PROFILES = ["observability"] as const;

export interface ComposeCheck {
  /** What is checked, for messages: "docker-compose.yml" or "docker-compose.yml --profile observability". */
  label: string;
  args: string[];
}

/** `config -q` of the file alone and with each profile: docker-compose's own validation, quietly. */
export function composeChecks(file: string, emptyEnvFile: string): ComposeCheck[] {
  const base = ["--env-file", emptyEnvFile, "-f", file];
  return [
    { label: file, args: [...base, "config", "-q"] },
    ...COMPOSE_PROFILES.map((profile) => ({
      label: `${file} --profile ${profile}`,
      args: [...base, "--profile", profile, "config", "-q"],
    })),
  ];
}

export interface ComposeRun {
  exitCode: number | null;
  stderr: string;
}

/**
 * What is wrong, or undefined. docker-compose exits 0 on warnings, such as a variable used without a
 * default ("The X variable is not set. Defaulting to a blank string."), which would start a service
 * with an empty setting: any output on stderr fails the check too.
 */
export function composeProblem(check: ComposeCheck, run: ComposeRun): string | undefined {
  const said = run.stderr.trim();
  if (run.exitCode !== 0) {
    return `docker-compose rejects ${check.label} (exit ${run.exitCode}):\n${said}`;
  }
  if (said !== "") return `docker-compose warns about ${check.label}:\n${said}`;
  return undefined;
}

/**
 * Runs one check with a bare environment (PATH, HOME and docker-compose's own), so that variables set
 * in the developer's shell cannot hide a variable the file uses without a default.
 */
export function runComposeCheck(
  install: ComposeInstall,
  check: ComposeCheck,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ComposeRun> {
  return new Promise((resolve, reject) => {
    execFile(
      "python3",
      ["-s", install.script, ...check.args],
      { cwd, env: { PATH: env.PATH, HOME: env.HOME, LANG: "C.UTF-8", ...install.env } },
      (error, _stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(error);
          return;
        }
        resolve({ exitCode: error === null ? 0 : (error.code as number), stderr });
      },
    );
  });
}
