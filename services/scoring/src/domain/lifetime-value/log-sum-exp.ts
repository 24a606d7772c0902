/** log(eˣ + eʸ) without overflow, and without losing the smaller term to underflow. */
export function logSumExp(x: number, y: number): number {
  const larger = Math.max(x, y);
  if (larger === Number.NEGATIVE_INFINITY) return larger;
  return larger + Math.log1p(Math.exp(Math.min(x, y) - larger));
}
