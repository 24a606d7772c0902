import { minimizeNelderMead, type NelderMeadOptions } from "./nelder-mead.js";

/** What a fit reports, for any model: the caller times it (the domain has no clock). */
export type ModelFit<Parameters> = {
  parameters: Parameters;
  logLikelihood: number;
  /** Customers the likelihood was summed over. */
  customers: number;
  /** Nelder–Mead steps over every start point. */
  iterations: number;
  /** Whether the run that gave `parameters` met its tolerances. */
  converged: boolean;
};

export type FitOptions = Partial<NelderMeadOptions>;

type LogScaleFit = { parameters: number[]; logLikelihood: number; iterations: number; converged: boolean };

/**
 * Maximises a log-likelihood over the logarithms of its (positive) parameters: on that scale the
 * optimiser cannot step out of the domain, and steps are relative. One start can stall on a ridge
 * or in a flat corner, so it runs from every start point and keeps the highest likelihood.
 */
export function maximizeOnLogScale(
  logLikelihood: (parameters: readonly number[]) => number,
  logStarts: readonly (readonly number[])[],
  options: FitOptions = {},
): LogScaleFit {
  const objective = (logParameters: readonly number[]) => -logLikelihood(logParameters.map(Math.exp));
  const runs = logStarts.map((start) => minimizeNelderMead(objective, start, options));
  const [first, ...others] = runs;
  if (first === undefined) throw new RangeError("maximizeOnLogScale needs at least one start point");
  const best = others.reduce((kept, run) => (run.value < kept.value ? run : kept), first);
  return {
    parameters: best.point.map(Math.exp),
    logLikelihood: -best.value,
    iterations: runs.reduce((sum, run) => sum + run.iterations, 0),
    converged: best.converged,
  };
}
