import { markdownTable } from "./format.js";
import type { MachineFacts } from "./machine.js";

/** Under which conditions a benchmark ran: what every section states before its figures. */
export type RunConditions = {
  startedAt: Date;
  command: string;
  machine: MachineFacts;
  /** The 1-, 5- and 15-minute load averages before the first and after the last measurement. */
  loadBefore: string;
  loadAfter: string;
  /** Whose broker and database the figures were measured against. */
  infra: string;
};

/** The table of date, command, commit, machine, load and servers, with the benchmark's parameters. */
export function conditionsTable(conditions: RunConditions, parameters: string): string {
  const { machine } = conditions;
  return markdownTable(
    ["", ""],
    [
      ["date (UTC)", conditions.startedAt.toISOString().replace("T", " ").slice(0, 16)],
      ["command", `\`${conditions.command}\``],
      ["commit", `\`${machine.commit}\``],
      ["Node.js", machine.node],
      ["CPU", `${machine.cpuModel}, ${machine.cores} cores (\`nproc\`)`],
      ["load average (1/5/15 min)", `before ${conditions.loadBefore}; after ${conditions.loadAfter}`],
      ["servers", conditions.infra],
      ["parameters", parameters],
    ],
    ["---", "---"],
  );
}
