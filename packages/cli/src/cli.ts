import { FatalError, UsageError } from "./cli-errors.js";
import type { Command, CommandIo } from "./command.js";
import { exitCodes } from "./exit-codes.js";

/** `rapport <command> ...`: finds the command, runs it, and turns its errors into exit codes. */
export async function runCli(
  args: readonly string[],
  io: CommandIo,
  commands: readonly Command[],
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic === undefined) {
      io.stdout.write(overview(commands));
      return exitCodes.ok;
    }
    const command = commands.find((candidate) => candidate.name === topic);
    if (!command) return unknownCommand(topic, io, commands);
    io.stdout.write(command.usage);
    return exitCodes.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) return unknownCommand(name, io, commands);
  if (asksForHelp(rest)) {
    io.stdout.write(command.usage);
    return exitCodes.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `rapport ${command.name}: ${error.message}\nRun "rapport help ${command.name}" for usage.\n`,
      );
      return exitCodes.usage;
    }
    if (error instanceof FatalError) {
      io.stderr.write(`rapport ${command.name}: ${error.message}\n`);
      return exitCodes.fatal;
    }
    // A bug, not a user's mistake: the stack is what a bug report needs.
    io.stderr.write(
      `rapport ${command.name} failed unexpectedly: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    return exitCodes.fatal;
  }
}

function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  const options = end === -1 ? args : args.slice(0, end);
  return options.includes("--help") || options.includes("-h");
}

function unknownCommand(name: string, io: CommandIo, commands: readonly Command[]): number {
  io.stderr.write(`rapport: unknown command "${name}"\n\n${overview(commands)}`);
  return exitCodes.usage;
}

function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length), 4);
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    "Usage: rapport <command> [arguments]",
    "",
    "Commands:",
    ...lines,
    `  ${"help".padEnd(width)}  show this list, or a command's usage: rapport help <command>`,
    "",
  ].join("\n");
}
