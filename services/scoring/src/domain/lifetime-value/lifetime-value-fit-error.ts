/**
 * Why a model cannot be fitted to the customers given:
 * - no-customers: there is nobody to fit;
 * - no-repeat-purchases: nobody bought twice (or, for spend, nobody has a positive mean repeat
 *   spend), so the likelihood has no maximum inside the parameter space.
 */
export type LifetimeValueFitFailure = "no-customers" | "no-repeat-purchases";

export class LifetimeValueFitError extends Error {
  override readonly name = "LifetimeValueFitError";

  constructor(
    readonly reason: LifetimeValueFitFailure,
    message: string,
  ) {
    super(message);
  }
}
