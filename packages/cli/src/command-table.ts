import type { Command } from "./command.js";
import { dlqCommand } from "./commands/dlq-command.js";
import { exportCommand } from "./commands/export-command.js";
import { importCommand } from "./commands/import-command.js";
import { modelCommand } from "./commands/model-command.js";
import { replayCommand } from "./commands/replay-command.js";

/** Every command `rapport` knows, in the order `rapport help` lists them. */
export const commandTable: readonly Command[] = [
  importCommand,
  exportCommand,
  modelCommand,
  replayCommand,
  dlqCommand,
];
