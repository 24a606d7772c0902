import { median, percentile } from "../shared/percentiles.js";

/** One measured call: its wall time, and the FerretDB process's CPU time over it when that is read. */
export type CallSample = { ms: number; cpuMs?: number };

/**
 * The calls of one operation on one shape, per document. Wall time: the median call (and the p90 by
 * nearest rank) over the documents a call names. CPU: every call's CPU time summed over every document
 * the calls named; /proc counts CPU in ticks of 10 ms, so one call's reading is coarse, while the sum
 * over all the calls is not.
 */
export type ShapeFigures = {
  calls: number;
  documentsPerCall: number;
  medianMsPerDocument: number;
  p90MsPerDocument: number;
  /** Undefined when the server's CPU was not read (a server the benchmark did not start). */
  cpuMsPerDocument?: number;
};

export function shapeFigures(samples: readonly CallSample[], documentsPerCall: number): ShapeFigures {
  if (samples.length === 0) throw new Error("figures of no calls");
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const cpu = samples.map((sample) => sample.cpuMs);
  const allCpuRead = cpu.every((ms): ms is number => ms !== undefined);
  return {
    calls: samples.length,
    documentsPerCall,
    medianMsPerDocument: median(sorted) / documentsPerCall,
    p90MsPerDocument: percentile(sorted, 90) / documentsPerCall,
    ...(allCpuRead
      ? { cpuMsPerDocument: cpu.reduce((sum, ms) => sum + ms, 0) / (samples.length * documentsPerCall) }
      : {}),
  };
}
