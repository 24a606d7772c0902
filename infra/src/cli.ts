import { checkComposeCommand } from "./command-check-compose.js";
import { downCommand } from "./command-down.js";
import type { CommandIo } from "./command-io.js";
import { provisionCommand } from "./command-provision.js";
import { runCommand } from "./command-run.js";
import { statusCommand } from "./command-status.js";
import { upCommand } from "./command-up.js";
import { InfraError } from "./infra-error.js";

const USAGE = `Usage: infra <command>
  up                  start Kafka and FerretDB in the background (persistent data), print endpoints
  down                stop what \`up\` started
  status              show whether each server runs and answers (exit 3 unless both do)
  run -- <command…>   run a command against a throwaway Kafka and FerretDB on free ports
  provision           only download/build what the servers need into the cache
  check-compose [file] validate docker-compose.yml (or file) with Debian's docker-compose 1.29`;

const io: CommandIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "up":
      return upCommand(io, process.env);
    case "down":
      return downCommand(io, process.env);
    case "status":
      return statusCommand(io, process.env);
    case "provision":
      return provisionCommand(io, process.env);
    case "check-compose":
      return checkComposeCommand(io, process.env, rest[0]);
    case "run":
      return runCommand(io, process.env, rest[0] === "--" ? rest.slice(1) : rest);
    case undefined:
    case "help":
    case "--help":
      io.out(USAGE);
      return command === undefined ? 1 : 0;
    default:
      throw new InfraError(
        `Unknown command "${command}"; try: up, down, status, run -- <command>, provision, check-compose`,
      );
  }
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    // Expected failures are one readable line; anything else keeps its stack for the bug report.
    console.error(error instanceof InfraError ? `error: ${error.message}` : error);
    process.exitCode = 1;
  },
);
