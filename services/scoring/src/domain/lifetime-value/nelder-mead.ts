/** A function to minimise; NaN counts as +∞, so the simplex walks away from where it is undefined. */
export type Objective = (point: readonly number[]) => number;

export type NelderMeadOptions = {
  /** Stop after this many steps (reflection, expansion, contraction or shrink) even if not converged. */
  maxIterations: number;
  /** Converged once every vertex lies within this distance (in each coordinate) of the best one… */
  pointTolerance: number;
  /** …and every vertex's value lies within this fraction of max(1, |best value|) of the best one. */
  valueTolerance: number;
  /** Length of the starting simplex's edges, one along each axis from the start point. */
  initialStep: number;
};

export const defaultNelderMeadOptions: NelderMeadOptions = {
  maxIterations: 5_000,
  pointTolerance: 1e-7,
  valueTolerance: 1e-12,
  initialStep: 0.5,
};

export type NelderMeadResult = {
  point: number[];
  value: number;
  iterations: number;
  converged: boolean;
};

type Vertex = { point: number[]; value: number };

// The standard coefficients (Nelder & Mead 1965; Lagarias et al. 1998).
const reflection = 1;
const expansion = 2;
const contraction = 0.5;
const shrinkage = 0.5;

/**
 * Minimises `objective` from `start` with the Nelder–Mead downhill simplex method: no derivatives,
 * only comparisons of values, which suits likelihoods with special functions in them.
 */
export function minimizeNelderMead(
  objective: Objective,
  start: readonly number[],
  options: Partial<NelderMeadOptions> = {},
): NelderMeadResult {
  const { maxIterations, pointTolerance, valueTolerance, initialStep } = {
    ...defaultNelderMeadOptions,
    ...options,
  };
  const vertexAt = (point: number[]): Vertex => {
    const value = objective(point);
    return { point, value: Number.isNaN(value) ? Number.POSITIVE_INFINITY : value };
  };
  const simplex = [
    vertexAt([...start]),
    ...start.map((_, axis) => vertexAt(start.map((x, i) => (i === axis ? x + initialStep : x)))),
  ];
  let iterations = 0;
  for (;;) {
    simplex.sort((left, right) => left.value - right.value);
    const best = at(simplex, 0);
    if (hasConverged(simplex, pointTolerance, valueTolerance)) {
      return { point: best.point, value: best.value, iterations, converged: true };
    }
    if (iterations >= maxIterations) {
      return { point: best.point, value: best.value, iterations, converged: false };
    }
    iterations += 1;
    const worstIndex = simplex.length - 1;
    const worst = at(simplex, worstIndex);
    const secondWorst = at(simplex, worstIndex - 1);
    const centroid = centroidOf(simplex.slice(0, worstIndex));
    const reflected = vertexAt(towards(centroid, worst.point, -reflection));
    if (reflected.value < best.value) {
      const expanded = vertexAt(towards(centroid, worst.point, -expansion));
      simplex[worstIndex] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < secondWorst.value) {
      simplex[worstIndex] = reflected;
    } else {
      // Contract towards the better of the worst vertex and its reflection: outside or inside.
      const isOutside = reflected.value < worst.value;
      const contracted = vertexAt(towards(centroid, worst.point, isOutside ? -contraction : contraction));
      const isAccepted = isOutside ? contracted.value <= reflected.value : contracted.value < worst.value;
      if (isAccepted) {
        simplex[worstIndex] = contracted;
      } else {
        // Shrink every vertex halfway towards the best one.
        for (let index = 1; index < simplex.length; index += 1) {
          simplex[index] = vertexAt(towards(best.point, at(simplex, index).point, shrinkage));
        }
      }
    }
  }
}

function hasConverged(simplex: readonly Vertex[], pointTolerance: number, valueTolerance: number): boolean {
  const best = at(simplex, 0);
  const valueScale = valueTolerance * Math.max(1, Math.abs(best.value));
  return simplex.every(
    (vertex) =>
      Math.abs(vertex.value - best.value) <= valueScale &&
      vertex.point.every((x, i) => Math.abs(x - at(best.point, i)) <= pointTolerance),
  );
}

function centroidOf(vertices: readonly Vertex[]): number[] {
  const dimensions = at(vertices, 0).point.length;
  return Array.from(
    { length: dimensions },
    (_, i) => vertices.reduce((sum, vertex) => sum + at(vertex.point, i), 0) / vertices.length,
  );
}

/** The point `origin + fraction · (target − origin)`; a negative fraction goes away from the target. */
function towards(origin: readonly number[], target: readonly number[], fraction: number): number[] {
  return origin.map((x, i) => x + fraction * (at(target, i) - x));
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`no item at index ${index}`);
  return item;
}
