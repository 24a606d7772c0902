/** Where a command writes and what it knows of its environment: process streams in main, buffers in tests. */
export type CommandIo = {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths on the command line are relative to. */
  cwd: string;
};

/** One `rapport <name>` command. Adding a command is a file in src/commands and a line in the command table. */
export type Command = {
  name: string;
  /** One line for `rapport help`. */
  summary: string;
  /** The full help text, printed by `rapport help <name>` and `rapport <name> --help`. */
  usage: string;
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
};
