import { readFileSync } from "node:fs";
import type { MonotonicWindow } from "./monotonic.js";

type CallFrame = { functionName: string; url: string };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
/** The parts of a V8 .cpuprofile (node --cpu-prof) this summary reads. */
type CpuProfile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  /** Wall time covered by the samples inside the window. */
  windowSeconds: number;
  /** Share of the window the event loop had nothing to run (waiting for the broker, FerretDB, clients). */
  idleShare: number;
  /** Where the busy (non-idle) time went, largest first; shares of the busy time. */
  busy: { category: string; share: number }[];
};

const packageGroups: [RegExp, string][] = [
  [/^(ajv|ajv-formats|fast-uri|fast-deep-equal|json-schema-traverse)$/, "JSON Schema validation (ajv)"],
  [/^libphonenumber-js$/, "phone numbers (libphonenumber-js)"],
  [/^kafkajs$/, "kafkajs"],
  [/^(mongodb|bson|mongodb-connection-string-url|whatwg-url)$/, "MongoDB driver"],
  [
    /^(@opentelemetry\/.*|prom-client|pino|pino-.*|sonic-boom|thread-stream)$/,
    "telemetry (OpenTelemetry, prom-client, pino)",
  ],
  [
    /^(express|router|body-parser|raw-body|iconv-lite|content-type|type-is|on-finished|finalhandler|send|qs|path-to-regexp|.*-parser)$/,
    "HTTP framework (express)",
  ],
];

function categoryOfPackage(name: string): string {
  return packageGroups.find(([pattern]) => pattern.test(name))?.[1] ?? name;
}

/** What a frame's code belongs to, or undefined for a native frame that is charged to its caller. */
function categoryOf(frame: CallFrame): string | undefined {
  const { url, functionName } = frame;
  if (url === "") {
    if (functionName === "(garbage collector)") return "garbage collection";
    if (functionName === "(program)") return "V8 and native code (program)";
    if (functionName === "parse" || functionName === "stringify") return "JSON.parse / JSON.stringify";
    // Ajv compiles each schema into functions named validate<N>, which have no script URL.
    if (/^validate\d+$/.test(functionName)) return "JSON Schema validation (ajv)";
    return undefined;
  }
  const inPackage = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inPackage?.[1]) return categoryOfPackage(inPackage[1]);
  if (url.startsWith("node:")) return "Node.js core (streams, sockets, timers)";
  const ours = /\/(packages\/[^/]+|services\/[^/]+)\/src\/(domain\/)?/.exec(url);
  if (ours?.[1]) {
    const [kind, name] = ours[1].split("/");
    if (kind === "services") return ours[2] ? `${name} domain (admission)` : `${name} adapters`;
    return name === "events" ? "@rapport/events (normalisation)" : `@rapport/${name}`;
  }
  return "other";
}

/**
 * Summarises the samples of a CPU profile taken inside a window of the monotonic clock (the measured
 * stretch, without start-up and shutdown). Each sample is charged to the innermost frame with a known
 * owner. Undefined when the profile has no sample in the window (another thread's profile).
 */
export function summariseCpuProfile(path: string, window: MonotonicWindow): ProfileSummary | undefined {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const stackOf = (leaf: number): CallFrame[] => {
    const frames: CallFrame[] = [];
    for (let id: number | undefined = leaf; id !== undefined; id = parents.get(id)) {
      const node = nodes.get(id);
      if (node) frames.push(node.callFrame);
    }
    return frames;
  };

  const microseconds = new Map<string, number>();
  let idle = 0;
  let total = 0;
  let sampledAtUs = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    sampledAtUs += profile.timeDeltas[i] ?? 0;
    if (sampledAtUs < window.startUs || sampledAtUs > window.endUs) continue;
    // A sample stands for the time until the next one.
    const weight = profile.timeDeltas[i + 1] ?? 0;
    const stack = stackOf(profile.samples[i] as number);
    total += weight;
    if (stack[0]?.functionName === "(idle)") {
      idle += weight;
      continue;
    }
    const category = stack.map(categoryOf).find((found) => found !== undefined) ?? "other";
    microseconds.set(category, (microseconds.get(category) ?? 0) + weight);
  }
  if (total === 0) return undefined;
  const busyTotal = total - idle;
  return {
    windowSeconds: total / 1e6,
    idleShare: idle / total,
    busy: [...microseconds]
      .map(([category, time]) => ({ category, share: busyTotal > 0 ? time / busyTotal : 0 }))
      .sort((a, b) => b.share - a.share),
  };
}
