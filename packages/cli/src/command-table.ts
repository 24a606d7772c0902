import type { Command } from "./command.js";
import { campaignCommand } from "./commands/campaign-command.js";
import { customerCommand } from "./commands/customer-command.js";
import { dlqCommand } from "./commands/dlq-command.js";
import { exportCommand } from "./commands/export-command.js";
import { importCommand } from "./commands/import-command.js";
import { modelCommand } from "./commands/model-command.js";
import { offersCommand } from "./commands/offers-command.js";
import { replayCommand } from "./commands/replay-command.js";
import { segmentsCommand } from "./commands/segments-command.js";
import { timelineCommand } from "./commands/timeline-command.js";

/** Every command `rapport` knows, in the order `rapport help` lists them. */
export const commandTable: readonly Command[] = [
  customerCommand,
  timelineCommand,
  segmentsCommand,
  offersCommand,
  campaignCommand,
  importCommand,
  exportCommand,
  modelCommand,
  replayCommand,
  dlqCommand,
];
