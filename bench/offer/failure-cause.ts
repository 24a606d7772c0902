import { status } from "@grpc/grpc-js";

/**
 * Why a call the offer service answered INTERNAL failed, from what it logged meanwhile (pino JSON
 * lines): the error of its "gRPC handler failed" line as "Type: message" (the Kafka error code too,
 * when there is one), else the message of its last error line; undefined when it logged nothing.
 */
export function failureCause(serviceLog: string): string | undefined {
  let lastMessage: string | undefined;
  let handlerError: string | undefined;
  for (const line of serviceLog.split("\n")) {
    const entry = jsonObject(line);
    if (!entry) continue;
    const error = entry.err as { type?: unknown; message?: unknown; code?: unknown } | undefined;
    if (entry.msg === "gRPC handler failed" && error && typeof error.message === "string") {
      const code = typeof error.code === "number" ? ` (Kafka error code ${error.code})` : "";
      handlerError = `${typeof error.type === "string" ? `${error.type}: ` : ""}${error.message}${code}`;
    } else if (typeof entry.msg === "string") {
      lastMessage = typeof entry.error === "string" ? `${entry.msg}: ${entry.error}` : entry.msg;
    }
  }
  return handlerError ?? lastMessage;
}

function jsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** "INTERNAL" for a failure "code 13: …". */
export function failureCode(failure: string): string {
  const code = Number(/^code (\d+)/.exec(failure)?.[1]);
  return Number.isInteger(code) ? (status[code] ?? `code ${code}`) : failure;
}
