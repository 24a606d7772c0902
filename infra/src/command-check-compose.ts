import { resolveCacheDir } from "./cache-dir.js";
import type { CommandIo } from "./command-io.js";
import { composeChecks, composeProblem, runComposeCheck } from "./compose-check.js";
import { provisionCompose } from "./compose-provisioning.js";
import { createProgress } from "./progress.js";
import { DOCKER_COMPOSE_DEBIAN_VERSION } from "./versions.js";

/**
 * `infra check-compose [file]`: validates a compose file (docker-compose.yml unless named) with Debian's
 * docker-compose, alone and with each profile, failing on errors and warnings alike. No Docker engine
 * is needed: `config` only reads the file.
 */
export async function checkComposeCommand(
  io: CommandIo,
  env: NodeJS.ProcessEnv,
  file = "docker-compose.yml",
): Promise<number> {
  const progress = createProgress((message) => io.err(message));
  const install = await provisionCompose(resolveCacheDir(env), progress, env);
  let failed = 0;
  for (const check of composeChecks(file, install.emptyEnvFile)) {
    const problem = composeProblem(check, await runComposeCheck(install, check, process.cwd(), env));
    if (problem === undefined) {
      io.out(`${check.label}: valid for docker-compose ${DOCKER_COMPOSE_DEBIAN_VERSION}`);
    } else {
      io.err(`error: ${problem}`);
      failed += 1;
    }
  }
  return failed === 0 ? 0 : 1;
}
