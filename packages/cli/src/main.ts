import { runCli } from "./cli.js";
import { commandTable } from "./command-table.js";

process.exitCode = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    // `npm run rapport` runs in the repository root; INIT_CWD is where the user typed the command.
    cwd: process.env.INIT_CWD ?? process.cwd(),
  },
  commandTable,
);
