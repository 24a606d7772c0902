import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InfraError } from "./infra-error.js";

export interface RecordedServer {
  pid: number;
  port: number;
  logFile: string;
}

/** What `infra up` started, so that `status` and `down` (other processes) can find it. */
export interface InfraState {
  startedAt: string;
  dataDir: string;
  kafkaBrokers: string;
  mongodbUri: string;
  kafka: RecordedServer & { controllerPort: number };
  ferretdb: RecordedServer;
}

/** The recorded state, or undefined when nothing was recorded. Throws InfraError when unreadable. */
export async function readStateFile(path: string): Promise<InfraState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
  return parseState(text, path);
}

/** Written to a temporary file and renamed, so a reader never sees half a state. */
export async function writeStateFile(path: string, state: InfraState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, path);
}

export async function removeStateFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

export function parseState(text: string, path: string): InfraState {
  const invalid = (why: string): InfraError => new InfraError(`State file ${path} is not valid (${why})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid("not JSON");
  }
  if (!isRecord(parsed)) throw invalid("not an object");
  const { startedAt, dataDir, kafkaBrokers, mongodbUri, kafka, ferretdb } = parsed;
  if (typeof startedAt !== "string" || typeof dataDir !== "string") throw invalid("no startedAt/dataDir");
  if (typeof kafkaBrokers !== "string" || typeof mongodbUri !== "string") throw invalid("no endpoints");
  const kafkaServer = parseServer(kafka);
  const ferretdbServer = parseServer(ferretdb);
  if (kafkaServer === undefined || ferretdbServer === undefined)
    throw invalid("a server lacks pid/port/logFile");
  if (!isRecord(kafka) || !isPositiveInteger(kafka.controllerPort))
    throw invalid("kafka lacks controllerPort");
  return {
    startedAt,
    dataDir,
    kafkaBrokers,
    mongodbUri,
    kafka: { ...kafkaServer, controllerPort: kafka.controllerPort },
    ferretdb: ferretdbServer,
  };
}

function parseServer(value: unknown): RecordedServer | undefined {
  if (!isRecord(value)) return undefined;
  const { pid, port, logFile } = value;
  if (!isPositiveInteger(pid) || !isPositiveInteger(port) || typeof logFile !== "string") return undefined;
  return { pid, port, logFile };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}
