import { Counter, type Registry } from "@rapport/telemetry";
import type { MongoClient } from "mongodb";

const storeCommandsMetric = "rapport_store_commands_total";

/**
 * Counts every command the client sends (find, insert, update, delete, getMore, createIndexes, ...),
 * by command name: one command is one round trip to the store, which is what caps a service on
 * FerretDB (DESIGN.md §7). The client must have been created with `monitorCommands: true`.
 */
export function countStoreCommands(client: MongoClient, registry: Registry): void {
  // One counter per registry, however many clients the service connects with it.
  const commands =
    (registry.getSingleMetric(storeCommandsMetric) as Counter<"command"> | undefined) ??
    new Counter({
      name: storeCommandsMetric,
      help: "Commands sent to MongoDB (each one round trip), by command name: find, insert, update, delete, getMore, ...",
      labelNames: ["command"] as const,
      registers: [registry],
    });
  client.on("commandStarted", (event) => commands.inc({ command: event.commandName }));
}
