import type { Registry } from "@rapport/telemetry";
import { type Db, MongoClient } from "mongodb";
import { countStoreCommands } from "./store-command-metrics.js";

export type MongoConnection = { client: MongoClient; db: Db; close(): Promise<void> };

export type MongoConnectOptions = {
  /** The service's metrics registry: every command the client sends is counted there (`rapport_store_commands_total`). */
  registry?: Registry;
};

/**
 * Connects to the service's own database. The same code runs against MongoDB 7 and FerretDB, so it
 * relies on nothing beyond what both support (see DESIGN.md §7).
 */
export async function connectMongo(
  uri: string,
  databaseName: string,
  options: MongoConnectOptions = {},
): Promise<MongoConnection> {
  const { registry } = options;
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 10_000,
    retryWrites: false,
    monitorCommands: registry !== undefined,
  });
  if (registry) countStoreCommands(client, registry);
  try {
    await client.connect();
    await client.db(databaseName).command({ ping: 1 });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(
      `Cannot reach MongoDB at ${redact(uri)}: ${(error as Error).message}. Is it running (npm run infra:status)?`,
      {
        cause: error,
      },
    );
  }
  return { client, db: client.db(databaseName), close: () => client.close() };
}

function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@");
}
