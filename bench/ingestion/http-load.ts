import { Agent, request } from "node:http";

export type HttpLoadOptions = {
  url: string;
  headers: Record<string, string>;
  /** The request bodies, sent in order by whichever client is free next. */
  bodies: readonly string[];
  /** Concurrent clients, each with its own keep-alive connection, one request in flight each. */
  clients: number;
  /** A request that takes longer fails the whole load. */
  requestTimeoutMs: number;
  /** Called after each answer with the number answered so far. */
  onAnswer?: (answered: number) => void;
};

export type HttpLoadResult = {
  /** Each request's wall time from write to the end of the response body, in milliseconds. */
  latenciesMs: number[];
  statuses: Map<number, number>;
  wallSeconds: number;
};

/**
 * Sends a bounded number of POST requests from a fixed number of concurrent clients (a closed loop:
 * a client sends its next request when the previous answer has arrived) and times each one.
 */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const target = new URL(options.url);
  const latenciesMs: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;

  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const outgoing = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: { ...options.headers, "content-length": Buffer.byteLength(body) },
          timeout: options.requestTimeoutMs,
        },
        (response) => {
          response.resume();
          response.once("end", () => resolve(response.statusCode ?? 0));
          response.once("error", reject);
        },
      );
      outgoing.once("timeout", () =>
        outgoing.destroy(new Error(`no answer within ${options.requestTimeoutMs} ms`)),
      );
      outgoing.once("error", reject);
      outgoing.end(body);
    });

  const client = async () => {
    while (next < options.bodies.length) {
      const body = options.bodies[next++] as string;
      const startMs = performance.now();
      const status = await post(body);
      latenciesMs.push(performance.now() - startMs);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      options.onAnswer?.(latenciesMs.length);
    }
  };

  const startMs = performance.now();
  try {
    await Promise.all(Array.from({ length: options.clients }, client));
  } finally {
    agent.destroy();
  }
  return { latenciesMs, statuses, wallSeconds: (performance.now() - startMs) / 1000 };
}
