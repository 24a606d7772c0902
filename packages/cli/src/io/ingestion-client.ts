import { z } from "zod";
import { FatalError } from "../cli-errors.js";
import type { EventAnswer } from "../import/event-answer.js";
import type { CloudEventJson } from "../import/mapped-output.js";

export type IngestionClientOptions = {
  /** Base URL of ingestion's HTTP front door, e.g. http://127.0.0.1:8080. */
  url: string;
  writeKey: string;
  /** Tries per request when ingestion is unreachable or unavailable. */
  attempts?: number;
  /** Wait before the second try; doubled before each further one. */
  backoffMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

const resultSchema = z.discriminatedUnion("status", [
  z.object({ index: z.number().int(), status: z.literal("accepted"), eventId: z.string() }),
  z.object({ index: z.number().int(), status: z.literal("ignored"), reason: z.string() }),
  z.object({
    index: z.number().int(),
    status: z.literal("rejected"),
    reason: z.string(),
    detail: z.string(),
  }),
]);
const batchAnswerSchema = z.object({ results: z.array(resultSchema) });

type HttpAnswer = { status: number; body: string };

// Worth another try: ingestion restarting, or Kafka briefly unable to take the write.
const retriedStatuses = new Set([502, 503, 504]);

/**
 * Publishes batches through POST /v1/events and returns one answer per event. Retrying is safe
 * because every event has a deterministic id, which ingestion appends once. A batch over the
 * server's size limits (413) is halved until it fits.
 */
export function createIngestionClient(options: IngestionClientOptions) {
  const endpoint = `${options.url.replace(/\/+$/, "")}/v1/events`;
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function post(events: readonly CloudEventJson[]): Promise<HttpAnswer> {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.writeKey}` },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
    return { status: response.status, body: await response.text() };
  }

  async function postWithRetries(events: readonly CloudEventJson[]): Promise<HttpAnswer> {
    for (let attempt = 1; ; attempt += 1) {
      let answer: HttpAnswer | undefined;
      let failure: unknown;
      try {
        answer = await post(events);
      } catch (error) {
        failure = error;
      }
      if (answer && !retriedStatuses.has(answer.status)) return answer;
      if (attempt >= attempts) {
        if (answer) {
          throw new FatalError(
            `ingestion at ${options.url} is unavailable (HTTP ${answer.status}: ${problemDetail(answer.body)}) after ${attempts} tries`,
          );
        }
        throw new FatalError(
          `cannot reach ingestion at ${options.url}: ${networkCause(failure)} — is it running? (npm start)`,
        );
      }
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
  }

  async function publish(events: readonly CloudEventJson[]): Promise<EventAnswer[]> {
    if (events.length === 0) return [];
    const answer = await postWithRetries(events);
    if (answer.status === 413) {
      if (events.length === 1) {
        return [{ status: "rejected", reason: "oversized", detail: problemDetail(answer.body) }];
      }
      const half = Math.ceil(events.length / 2);
      return [...(await publish(events.slice(0, half))), ...(await publish(events.slice(half)))];
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new FatalError(
        `the write key was refused by ingestion at ${options.url} (HTTP ${answer.status}); check --write-key or RAPPORT_WRITE_KEY`,
      );
    }
    if (answer.status === 202 || answer.status === 207 || answer.status === 400) {
      const parsed = batchAnswerSchema.safeParse(parseJson(answer.body));
      if (parsed.success) return answersByIndex(parsed.data.results, events.length);
    }
    throw new FatalError(
      `ingestion at ${options.url} answered HTTP ${answer.status}: ${problemDetail(answer.body)}`,
    );
  }

  return { publish };
}

export type IngestionClient = ReturnType<typeof createIngestionClient>;

function answersByIndex(results: readonly z.infer<typeof resultSchema>[], expected: number): EventAnswer[] {
  const answers: (EventAnswer | undefined)[] = new Array(expected).fill(undefined);
  for (const { index, ...answer } of results) answers[index] = answer;
  const missing = answers.indexOf(undefined);
  if (missing >= 0 || answers.length !== expected) {
    throw new FatalError(
      `ingestion answered a batch of ${expected} events without a result for event ${missing}`,
    );
  }
  return answers as EventAnswer[];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `detail` of an RFC 9457 problem, or the start of whatever else the body is. */
function problemDetail(body: string): string {
  const parsed = z.object({ detail: z.string() }).safeParse(parseJson(body));
  if (parsed.success) return parsed.data.detail;
  const text = body.trim();
  return text === "" ? "no detail" : text.slice(0, 200);
}

function networkCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return "no answer within the timeout";
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === "string" ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
